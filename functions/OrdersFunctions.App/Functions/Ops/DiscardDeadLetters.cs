using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>POST /api/ops/dead-letters/discard</c> (Admin): discards every dead letter the body's filters match
/// (<c>{"stream"?, "group"?, "errorType"?, "from"?, "to"?, "dryRun", "force"}</c>); with <c>dryRun</c> only counts
/// them.</summary>
public sealed class DiscardDeadLetters(DeadLetterActions actions)
{
    [Function(nameof(DiscardDeadLetters))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/dead-letters/discard")] HttpRequest request,
        CancellationToken cancellationToken) =>
        actions.MatchingAsync(request,
            (store, query, dryRun, force, ct) => store.DiscardMatchingAsync(query, dryRun, force, ct),
            cancellationToken);
}
