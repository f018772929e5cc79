using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;
using OrdersFunctions.RedisStreams.DeadLetters;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>GET /api/ops/dead-letters/{id}?stream=</c>: one dead letter with its original fields (Admin).</summary>
public sealed class GetDeadLetter(DeadLetterStore store, DeadLetterStreams streams, RedisGate redis)
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
            var deadLetter = await store.GetAsync(streams.For(streams.Requested(request)), id, cancellationToken);
            return deadLetter is null ? OpsAnswers.NotFound(id) : new OkObjectResult(DeadLetterDetail.From(deadLetter));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return OpsAnswers.RedisDown(request, redis.Describe(ex));
        }
    }
}
