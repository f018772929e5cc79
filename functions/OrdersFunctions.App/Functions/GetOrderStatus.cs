using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Http;
using OrdersFunctions.App.Orders;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions;

/// <summary><c>GET /api/orders/{orderId}</c>: where the order stands in each consumer group. <c>HEAD</c> answers the
/// same status and headers without the body (the server drops the body of a HEAD answer).</summary>
public sealed partial class GetOrderStatus(OrderStatusReader reader, RedisGate redis)
{
    [Function(nameof(GetOrderStatus))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "orders/{orderId}")] HttpRequest request,
        string orderId,
        CancellationToken cancellationToken)
    {
        if (!OrderIdFormat().IsMatch(orderId))
            return NotFound(orderId);
        if (redis.Problem is { } down)
            return Unavailable(request, down);
        try
        {
            var status = await reader.ReadAsync(orderId, cancellationToken);
            return status is null ? NotFound(orderId) : new OkObjectResult(status);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Unavailable(request, redis.Describe(ex));
        }
    }

    private static IActionResult Unavailable(HttpRequest request, RedisConnectionProblem problem) =>
        Problems.RedisUnavailable(request, "Order status is unavailable right now.", problem, "Try again later.");

    private static IActionResult NotFound(string orderId) =>
        Problems.Status(StatusCodes.Status404NotFound, "No such order.",
            $"No order '{Truncate(orderId)}' is known: check the id from the 202 answer (orders are kept for 7 days).");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex OrderIdFormat();
}
