using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Http;
using OrdersFunctions.App.Ops;
using OrdersFunctions.RedisStreams;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>POST /api/ops/dead-letters/{id}/replay</c> (Admin). Writes the message back to its stream for the group that gave up on it, once; optional body <c>{"force": true}</c> replays past the cap. 404 unknown, 409 already replayed or
/// discarded.</summary>
public sealed class ReplayDeadLetter(DeadLetterStore store, DeadLetterStreams streams)
{
    [Function(nameof(ReplayDeadLetter))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/dead-letters/{id}/replay")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (OpsWriteGuard.Refusal(request, requireJson: false) is { } refusal)
            return refusal;
        var bytes = await BoundedBody.ReadAsync(request, OpsAnswers.MaxBodyBytes, cancellationToken);
        if (bytes is null)
            return OpsAnswers.TooLarge();
        var body = DeadLetterFilter.ForceFromBody(bytes);
        if (!body.IsValid)
            return OpsAnswers.BadFilter(body.Errors);
        var stream = GetDeadLetter.StreamOf(request, streams);
        if (DeadLetterFilter.StreamError(stream, streams) is { } streamError)
            return OpsAnswers.BadFilter(new Dictionary<string, string[]> { ["stream"] = [streamError] });
        try
        {
            return OpsAnswers.Of(await store.ReplayAsync(streams.For(stream), id, body.Force, cancellationToken), store.ReplayCap);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return OpsAnswers.RedisDown(request);
        }
    }
}
