using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Http;
using OrdersFunctions.App.Ops;
using OrdersFunctions.RedisStreams;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>POST /api/ops/dead-letters/replay</c> (Admin): replays every dead letter the body's filters match
/// (<c>{"stream"?, "group"?, "errorType"?, "from"?, "to"?, "dryRun", "force"}</c>); with <c>dryRun</c> only counts them.</summary>
public sealed class ReplayDeadLetters(DeadLetterStore store, DeadLetterStreams streams)
{
    [Function(nameof(ReplayDeadLetters))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/dead-letters/replay")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (OpsWriteGuard.Refusal(request, requireJson: true) is { } refusal)
            return refusal;
        var bytes = await BoundedBody.ReadAsync(request, OpsAnswers.MaxBodyBytes, cancellationToken);
        if (bytes is null)
            return OpsAnswers.TooLarge();
        var filter = DeadLetterFilter.FromBody(bytes, streams);
        if (!filter.IsValid)
            return OpsAnswers.BadFilter(filter.Errors);
        try
        {
            return OpsAnswers.Of(await store.ReplayMatchingAsync(filter.Query!, filter.DryRun, filter.Force, cancellationToken));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return OpsAnswers.RedisDown(request);
        }
    }
}
