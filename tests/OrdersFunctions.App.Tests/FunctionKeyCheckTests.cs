using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.LocalHost;

namespace OrdersFunctions.App.Tests;

/// <summary>The local host's key check follows Azure's levels: Function accepts the function or the master key, Admin
/// only the master key, Anonymous none; with no key configured everything is open.</summary>
public sealed class FunctionKeyCheckTests
{
    private const string FunctionKey = "function-key-1";
    private const string MasterKey = "master-key-1";

    [Theory]
    [InlineData(FunctionKey, true)]
    [InlineData(MasterKey, true)]
    [InlineData("wrong", false)]
    [InlineData(null, false)]
    public void FunctionLevel_AcceptsTheFunctionKeyOrTheMasterKey(string? sent, bool accepted)
    {
        var check = new FunctionKeyCheck(FunctionKey, MasterKey);

        Assert.Equal(accepted, check.IsAuthorized(RequestWithHeader(sent), AuthorizationLevel.Function));
    }

    [Theory]
    [InlineData(MasterKey, true)]
    [InlineData(FunctionKey, false)]
    [InlineData(null, false)]
    public void AdminLevel_AcceptsOnlyTheMasterKey(string? sent, bool accepted)
    {
        var check = new FunctionKeyCheck(FunctionKey, MasterKey);

        Assert.Equal(accepted, check.IsAuthorized(RequestWithHeader(sent), AuthorizationLevel.Admin));
    }

    [Fact]
    public void AdminLevel_WithOnlyAFunctionKeyConfigured_IsClosedEvenToTheFunctionKey()
    {
        var check = new FunctionKeyCheck(FunctionKey);

        Assert.False(check.IsAuthorized(RequestWithHeader(FunctionKey), AuthorizationLevel.Admin));
        Assert.Contains("LocalHost__MasterKey", FunctionKeyCheck.Requirement(AuthorizationLevel.Admin));
    }

    [Fact]
    public void MasterKey_IsAcceptedInTheCodeQueryToo()
    {
        var check = new FunctionKeyCheck(FunctionKey, MasterKey);
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString($"?code={MasterKey}");

        Assert.True(check.IsAuthorized(request, AuthorizationLevel.Admin));
    }

    [Theory]
    [InlineData(AuthorizationLevel.Function)]
    [InlineData(AuthorizationLevel.Admin)]
    public void NoKeyConfigured_EveryLevelIsOpen(AuthorizationLevel level)
    {
        Assert.True(new FunctionKeyCheck(null).IsAuthorized(RequestWithHeader(null), level));
    }

    [Fact]
    public void AnonymousLevel_NeedsNoKey_EvenWhenKeysAreConfigured()
    {
        Assert.True(new FunctionKeyCheck(FunctionKey, MasterKey)
            .IsAuthorized(RequestWithHeader(null), AuthorizationLevel.Anonymous));
    }

    private static HttpRequest RequestWithHeader(string? key)
    {
        var request = new DefaultHttpContext().Request;
        if (key is not null)
            request.Headers[FunctionKeyCheck.HeaderName] = key;
        return request;
    }
}
