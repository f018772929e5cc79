using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Ops;

namespace OrdersFunctions.App.Functions.Ops;

/// <summary><c>POST /api/ops/dead-letters/{id}/discard</c> (Admin). Removes the dead letter; the order status says
/// <c>discarded</c> for its group. 404 unknown, 409 already replayed or discarded.</summary>
public sealed class DiscardDeadLetter(DeadLetterActions actions)
{
    [Function(nameof(DiscardDeadLetter))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/dead-letters/{id}/discard")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        actions.OneAsync(request, id,
            (store, deadLetterStream, deadLetterId, force, ct) =>
                store.DiscardAsync(deadLetterStream, deadLetterId, force, ct),
            cancellationToken);
}
