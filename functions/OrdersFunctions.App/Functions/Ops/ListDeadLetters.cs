using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;
using OrdersFunctions.Operations.DeadLetters;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.DeadLetters;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>GET /api/ops/dead-letters?stream=&amp;group=&amp;errorType=&amp;from=&amp;to=&amp;limit=&amp;after=</c>:
/// a page of dead letters, oldest first (Admin).</summary>
public sealed class ListDeadLetters(DeadLetterStore store, OpsTopology topology, RedisGate redis)
{
    [Function(nameof(ListDeadLetters))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/dead-letters")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var filter = DeadLetterFilter.FromValues(
            name => request.Query.TryGetValue(name, out var value) ? value.ToString() : null, topology);
        if (!filter.IsValid)
            return OpsAnswers.BadFilter(filter.Errors);
        if (redis.Problem is { } down)
            return OpsAnswers.RedisDown(request, down);
        try
        {
            var page = await store.ListAsync(filter.Query!, cancellationToken);
            return new OkObjectResult(
                new DeadLetterPageResponse(page.Items.Select(DeadLetterItem.From).ToArray(), page.Next));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return OpsAnswers.RedisDown(request, redis.Describe(ex));
        }
    }
}
