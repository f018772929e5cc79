using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;
using OrdersFunctions.Operations.DeadLetters;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.DeadLetters;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>GET /api/ops/dead-letters/{id}?stream=</c>: one dead letter with its original fields (Admin).</summary>
public sealed class GetDeadLetter(DeadLetterStore store, OpsTopology topology, RedisGate redis)
{
    [Function(nameof(GetDeadLetter))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/dead-letters/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (redis.Problem is { } down)
            return OpsAnswers.RedisDown(request, down);
        try
        {
            var stream = OpsAnswers.RequestedStream(request, topology.DefaultStream);
            var deadLetter = stream is null
                ? null
                : await store.GetAsync(topology.DeadLetterStreamFor(stream), id, cancellationToken);
            return deadLetter is null ? OpsAnswers.NotFound(id) : new OkObjectResult(DeadLetterDetail.From(deadLetter));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return OpsAnswers.RedisDown(request, redis.Describe(ex));
        }
    }
}
