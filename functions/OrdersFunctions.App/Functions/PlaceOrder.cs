using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using OrdersFunctions.App.Http;
using OrdersFunctions.App.Orders;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.App.Functions;

/// <summary>
/// <c>POST /api/orders</c>: validates the order, publishes <see cref="OrderPlaced"/> and answers 202 with the order id
/// and stream entry id. Answers 415 for a non-JSON body, 413 over 64 KiB, 400 (problem details listing every field
/// error) for an invalid order, 503 when Redis is unreachable; none of those publishes anything.
/// </summary>
public sealed partial class PlaceOrder(OrderIntake intake, RedisGate redis, ILogger<PlaceOrder> logger)
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 255;

    [Function(nameof(PlaceOrder))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!JsonContentType.IsJson(request.ContentType))
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON.",
                "Send the order with 'Content-Type: application/json' (UTF-8).");

        var body = await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "The body is too large.",
                $"An order must be at most {MaxBodyBytes / 1024} KiB of JSON.");

        var idempotencyKey = ReadIdempotencyKey(request, out var keyError);
        var order = OrderRequestReader.Read(body, out var errors);
        if (keyError is not null)
            errors[IdempotencyKeyHeader] = [keyError];
        if (order is null || keyError is not null)
            return Problems.Validation(errors);

        if (redis.Problem is { } down)
            return Refuse(request, down);
        OrderAcceptance acceptance;
        try
        {
            // Once publishing starts it finishes even if the client goes away, so that the index and the
            // idempotency answer are stored with the entry (SE.Redis's own timeouts bound the wait).
            acceptance = await intake.AcceptAsync(order, body, idempotencyKey, CancellationToken.None);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // SE.Redis's multi-line diagnostic only at Debug; the refusal line names the problem.
            LogRedisUnavailableDetail(ex);
            return Refuse(request, redis.Describe(ex));
        }

        switch (acceptance)
        {
            case OrderAcceptance.Accepted accepted:
                // Below the path this request came in on, so it stays right whatever routePrefix host.json sets.
                var location = $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{accepted.OrderId}";
                if (accepted.Replayed)
                    request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                return new AcceptedResult(location,
                    new { orderId = accepted.OrderId, streamEntryId = accepted.StreamEntryId });
            case OrderAcceptance.InProgress:
                request.HttpContext.Response.Headers.RetryAfter = "1";
                return Problems.Status(StatusCodes.Status409Conflict,
                    "A request with this Idempotency-Key is still running.",
                    "Send it again in a moment to get its answer.");
            default:
                return Problems.Status(StatusCodes.Status422UnprocessableEntity,
                    "The Idempotency-Key was used for a different order.",
                    "Use a new Idempotency-Key for a new order; reuse a key only to retry the same request body.");
        }
    }

    /// <summary>One line per refused order, and the 503 that names the problem.</summary>
    private IActionResult Refuse(HttpRequest request, RedisConnectionProblem problem)
    {
        LogRedisUnavailable(problem.Message);
        return Problems.RedisUnavailable(request, "Orders cannot be accepted right now.", problem,
            "The order was not accepted: send it again later.");
    }

    private static string? ReadIdempotencyKey(HttpRequest request, out string? error)
    {
        error = null;
        if (!request.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
            return null;
        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxIdempotencyKeyLength
            || key.Any(c => c < 0x21 || c > 0x7e))
        {
            error = $"must be one value of 1-{MaxIdempotencyKeyLength} visible ASCII characters (e.g. a UUID)";
            return null;
        }
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an order with 503: {Problem}")]
    private partial void LogRedisUnavailable(string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis failure behind the refused order in detail")]
    private partial void LogRedisUnavailableDetail(Exception exception);
}
