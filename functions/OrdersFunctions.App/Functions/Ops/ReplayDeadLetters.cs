using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>POST /api/ops/dead-letters/replay</c> (Admin): replays every dead letter the body's filters match
/// (<c>{"stream"?, "group"?, "errorType"?, "from"?, "to"?, "dryRun", "force"}</c>); with <c>dryRun</c> only counts
/// them.</summary>
public sealed class ReplayDeadLetters(DeadLetterActions actions)
{
    [Function(nameof(ReplayDeadLetters))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/dead-letters/replay")] HttpRequest request,
        CancellationToken cancellationToken) =>
        actions.MatchingAsync(request,
            (store, query, dryRun, force, ct) => store.ReplayMatchingAsync(query, dryRun, force, ct),
            cancellationToken);
}
