using System.Text.Json.Nodes;
using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class ParameterConstraintTests(InfraFixture infra)
{
    [Fact]
    public void PlanSku_AllowsOnlyElasticPremiumSizes()
    {
        var allowed = Allowed("functionPlanSku");

        Assert.True(allowed.SequenceEqual(["EP1", "EP2", "EP3"]),
            "Parameter functionPlanSku must be @allowed(['EP1','EP2','EP3']), " +
            $"it allows [{string.Join(", ", allowed)}].");
    }

    [Fact]
    public void RedisSku_HasAnAllowedList()
    {
        var allowed = Allowed("redisSku");

        Assert.True(allowed.Count > 0 && allowed.Contains(DefaultOf("redisSku")),
            "Parameter redisSku needs an @allowed list containing its default; " +
            $"it allows [{string.Join(", ", allowed)}].");
    }

    [Fact]
    public void NamePrefix_IsBetween3And11Characters()
    {
        var parameter = Parameter("namePrefix");

        Assert.True(parameter["minLength"]?.GetValue<int>() == 3 && parameter["maxLength"]?.GetValue<int>() == 11,
            "Parameter namePrefix must be @minLength(3) @maxLength(11) (resource names are built from it), " +
            $"it is {parameter.ToJsonString()}.");
    }

    [Fact]
    public async Task UnknownPlanSku_IsRejectedBeforeDeployment()
    {
        var result = await infra.BuildParamsAsync(
            "unknown-plan-sku", InfraFixture.RequiredParameters + "param functionPlanSku = 'EP9'\n");

        Assert.True(
            result.ExitCode != 0
            && result.StandardError.Contains("BCP033", StringComparison.Ordinal)
            && result.StandardError.Contains("EP9", StringComparison.Ordinal),
            "functionPlanSku = 'EP9' must be rejected by the @allowed constraint with a message naming the value:\n" +
            $"{result.Transcript}");
    }

    [Fact]
    public async Task UnknownRedisSku_IsRejectedBeforeDeployment()
    {
        var result = await infra.BuildParamsAsync(
            "unknown-redis-sku", InfraFixture.RequiredParameters + "param redisSku = 'Standard_C1'\n");

        Assert.True(result.ExitCode != 0 && result.StandardError.Contains("BCP033", StringComparison.Ordinal),
            $"redisSku = 'Standard_C1' must be rejected by the @allowed constraint:\n{result.Transcript}");
    }

    [Fact]
    public async Task TooLongNamePrefix_IsRejectedBeforeDeployment()
    {
        var result = await infra.BuildParamsAsync(
            "long-prefix", InfraFixture.RequiredParameters + "param namePrefix = 'ordersfunctions'\n");

        Assert.True(result.ExitCode != 0 && result.StandardError.Contains("BCP332", StringComparison.Ordinal),
            $"A 15-character namePrefix must be rejected by @maxLength(11):\n{result.Transcript}");
    }

    [Fact]
    public async Task ValidParameters_AreAccepted()
    {
        var result = await infra.BuildParamsAsync(
            "valid", InfraFixture.RequiredParameters + "param namePrefix = 'shop'\nparam functionPlanSku = 'EP2'\n");

        Assert.True(result.ExitCode == 0, $"Valid parameters must build:\n{result.Transcript}");
    }

    private JsonObject Parameter(string name) =>
        infra.Template["parameters"]?[name] as JsonObject
        ?? throw new InvalidOperationException($"infra/main.bicep has no parameter '{name}'.");

    private List<string> Allowed(string name) =>
        (Parameter(name)["allowedValues"] as JsonArray ?? [])
            .Select(value => value?.ToString() ?? string.Empty)
            .ToList();

    private string DefaultOf(string name) => Parameter(name)["defaultValue"]?.ToString() ?? string.Empty;
}
