using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>POST /api/ops/dead-letters/{id}/replay</c> (Admin). Writes the message back to its stream for the group
/// that gave up on it, once; optional body <c>{"force": true}</c> replays past the cap. 404 unknown, 409 already
/// replayed or discarded.</summary>
public sealed class ReplayDeadLetter(DeadLetterActions actions)
{
    [Function(nameof(ReplayDeadLetter))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/dead-letters/{id}/replay")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        actions.OneAsync(request, id,
            (store, deadLetterStream, deadLetterId, force, ct) =>
                store.ReplayAsync(deadLetterStream, deadLetterId, force, ct),
            cancellationToken);
}
