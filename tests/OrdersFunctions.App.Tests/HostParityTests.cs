using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Testing;
using OrdersFunctions.RedisStreams.Testing.Servers;
using StackExchange.Redis;

namespace OrdersFunctions.App.Tests;

/// <summary>The local host answers as the Functions host does (docs/functions-host.md, "Answers the host gives
/// itself"), and no HTTP answer carries a stack trace or a file path.</summary>
[Collection(RedisCollection.Name)]
public sealed class HostParityTests(RedisServerFixture redis)
{
    // The dead-letter reason the Functions host produced before the engine cleaned it: its RpcException text, with the
    // worker's stack and the build machine's paths.
    private const string HostRpcText =
        "Result: Failure\nException: Error converting 1 input parameters for Function 'SendOrderNotification': "
        + "Cannot convert input parameter 'order' to type 'OrdersFunctions.App.Orders.OrderPlaced' from type "
        + "'System.String'. Error:System.Text.Json.JsonException: The JSON value could not be converted. "
        + "Path: $.items | LineNumber: 0 | BytePositionInLine: 60.\n"
        + "   at System.Text.Json.ThrowHelper.ThrowJsonException_DeserializeUnableToConvertValue(Type propertyType)\n"
        + "   at OrdersFunctions.App.DirectFunctionExecutor.ExecuteAsync(FunctionContext context) in "
        + "/home/build/OrdersFunctions/functions/OrdersFunctions.App/obj/Debug/net10.0/"
        + "GeneratedFunctionExecutor.g.cs:line 34\n"
        + "Stack:    at Microsoft.Azure.Functions.Worker.FunctionsApplication.InvokeFunctionAsync("
        + "FunctionContext context) in /_/src/DotNetWorker.Core/FunctionsApplication.cs:line 96";

    [Fact]
    public async Task MethodTheRouteDoesNotDeclare_Is404WithNoBody()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var response = await client.PutAsJsonAsync("/api/orders", AppScenario.ValidOrder());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(response.Content.Headers.Contains("Allow"));
        Assert.Equal(0, await scenario.StreamLengthAsync());
    }

    [Fact]
    public async Task MissingOrWrongFunctionKey_Is401WithNoBody()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["LocalHost__FunctionKey"] = "s3cret-key";
        using var client = await scenario.StartHttpOnlyHostAsync();

        using var without = await client.PostAsJsonAsync("/api/orders", AppScenario.ValidOrder());
        using var wrong = await client.PostAsJsonAsync("/api/orders?code=guess", AppScenario.ValidOrder());

        foreach (var response in new[] { without, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(0, response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task OrderStatus_OfAnOrderDeadLetteredUnderTheFunctionsHost_ShowsNoStackTraceOrPath()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        using var client = await scenario.StartHttpOnlyHostAsync();
        var orderId = await AppScenario.PostOrderAsync(client);
        var entryId = (await client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}"))
            .GetProperty("streamEntryId").GetString()!;
        // As the host left it: the group past the entry, and a dead-letter record written before the engine cleaned
        // reasons.
        await scenario.Redis.StreamCreateConsumerGroupAsync(scenario.Stream, scenario.NotificationsGroup, "$");
        await scenario.Redis.StreamAddAsync(scenario.Stream + ":dead-letter",
        [
            new NameValueEntry(DeadLetterFields.OriginalId, entryId),
            new NameValueEntry(DeadLetterFields.Stream, scenario.Stream),
            new NameValueEntry(DeadLetterFields.Group, scenario.NotificationsGroup),
            new NameValueEntry(DeadLetterFields.Consumer, "vm-1234"),
            new NameValueEntry(DeadLetterFields.DeliveryCount, 5),
            new NameValueEntry(DeadLetterFields.ErrorType, "Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException"),
            new NameValueEntry(DeadLetterFields.ErrorMessage, HostRpcText),
            new NameValueEntry(DeadLetterFields.FailedAt, DateTime.UtcNow.ToString("O")),
        ]);

        using var response = await client.GetAsync($"/api/orders/{orderId}");
        var body = await response.Content.ReadAsStringAsync();

        var error = JsonDocument.Parse(body).RootElement
            .GetProperty("groups").GetProperty(scenario.NotificationsGroup).GetProperty("error").GetString();
        Assert.Contains("Error converting 1 input parameters", error);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain(":line ", body);
        Assert.DoesNotContain("/_/", body);
        Assert.DoesNotContain("/home/", body);
        Assert.DoesNotContain("Stack:", body);
    }

    [Fact]
    public async Task TwoLocalHostsAtOnce_AreTwoConsumersOfEachGroup()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        await scenario.StartHostAsync();
        await scenario.StartHostAsync();

        await Eventually.HoldsAsync(async () =>
                await ConsumerCountAsync(scenario, scenario.NotificationsGroup) == 2
                && await ConsumerCountAsync(scenario, scenario.SpreadsheetsGroup) == 2,
            "two consumers in each group",
            async () => $"{await ConsumerCountAsync(scenario, scenario.NotificationsGroup)} and "
                + $"{await ConsumerCountAsync(scenario, scenario.SpreadsheetsGroup)}");
    }

    private static async Task<int> ConsumerCountAsync(AppScenario scenario, string group)
    {
        if (!await scenario.Redis.KeyExistsAsync(scenario.Stream))
            return 0;
        var groups = await scenario.Redis.StreamGroupInfoAsync(scenario.Stream);
        return groups.Any(g => g.Name == group)
            ? (await scenario.Redis.StreamConsumerInfoAsync(scenario.Stream, group)).Length
            : 0;
    }
}
