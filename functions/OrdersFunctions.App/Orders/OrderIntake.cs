using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// Publishes accepted orders to the stream and records order id → entry id; with an Idempotency-Key, makes a retried
/// request return the first answer without publishing again.
/// </summary>
/// <remarks>
/// Idempotency is race-safe across instances and crash-safe: the first request reserves the key with <c>SET NX</c>
/// (short TTL), then publishes in one atomic step (<see cref="PublishTransaction"/>) that checks the reservation is
/// still its own, adds the entry, and stores both the order index and the answer. A concurrent duplicate finds the
/// reservation and gets <see cref="OrderAcceptance.InProgress"/>. A request that dies before that step published
/// nothing, and its reservation expires so that a retry publishes; one that dies after it left its answer, so a retry
/// replays it. Redis errors propagate (the function answers 503); nothing is half-published that the client is not told
/// to retry.
/// </remarks>
public sealed partial class OrderIntake(
    IStreamPublisher publisher,
    IRedisConnectionFactory connections,
    IOptions<OrdersOptions> options,
    TimeProvider time,
    ILogger<OrderIntake> logger)
{
    private readonly OrdersOptions _options = options.Value;

    /// <exception cref="RedisException">Redis cannot be reached or refused a command.</exception>
    /// <exception cref="TimeoutException">Redis did not answer in time.</exception>
    public async Task<OrderAcceptance> AcceptAsync(OrderRequest request, ReadOnlyMemory<byte> body,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        var shared = await connections.GetSharedAsync(cancellationToken).ConfigureAwait(false);
        // While no connection is open, a command would wait out SE.Redis's backlog timeout (5 s) before failing: refuse
        // at once instead, so the client hears 503 without the wait (SE.Redis reconnects in the background).
        if (!shared.IsConnected)
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect,
                "No connection to Redis is open (it is down or unreachable)");
        if (idempotencyKey is null)
            return (await PublishAsync(request, NewOrderId(), cancellationToken)
                .ConfigureAwait(false))!; // no condition: never null

        var database = shared.GetDatabase();
        var key = OrderKeys.Idempotency(_options.Stream, idempotencyKey);
        var requestHash = Convert.ToHexString(SHA256.HashData(body.Span));
        var reservation = new IdempotencyRecord(NewOrderId(), requestHash, StreamEntryId: null);

        // Two rounds: the record we lost to may expire between our SET NX and our GET.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await database.StringSetAsync(key, reservation.ToJson(), _options.IdempotencyReservationTtl,
                    When.NotExists).ConfigureAwait(false))
                return await PublishReservedAsync(database, key, reservation, request, cancellationToken)
                    .ConfigureAwait(false);

            var existing = IdempotencyRecord.FromJson(await database.StringGetAsync(key).ConfigureAwait(false));
            if (existing is null)
                continue;
            if (existing.RequestHash != requestHash)
                return new OrderAcceptance.KeyReused();
            if (!existing.IsCompleted)
                return new OrderAcceptance.InProgress();
            LogReplayed(existing.OrderId);
            return new OrderAcceptance.Accepted(existing.OrderId, existing.StreamEntryId!, Replayed: true);
        }
        return new OrderAcceptance.InProgress();
    }

    private async Task<OrderAcceptance> PublishReservedAsync(IDatabase database, string key,
        IdempotencyRecord reservation, OrderRequest request, CancellationToken cancellationToken)
    {
        // The answer is written by the same script as the entry; the script fills in the entry id.
        var answer = reservation with { StreamEntryId = EntryIdWrite.EntryIdToken };
        OrderAcceptance.Accepted? accepted;
        try
        {
            accepted = await PublishAsync(request, reservation.OrderId, new PublishTransaction
            {
                Condition = new PublishCondition(key, reservation.ToJson()),
                Writes =
                [
                    IndexWrite(reservation.OrderId),
                    new EntryIdWrite(key, answer.ToJson(), _options.IdempotencyTtl),
                ],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Free the key for the client's retry, but only if it still holds our reservation (if the script ran, it
            // holds the answer instead). If Redis is down this fails too, and the reservation's short TTL frees it.
            await TryReleaseAsync(database, key, reservation).ConfigureAwait(false);
            throw;
        }
        // Null: our reservation expired while this request stalled (and another request may have taken the key).
        // Nothing was published; the client's retry gets the other request's answer, or publishes if there is none.
        return accepted ?? (OrderAcceptance)new OrderAcceptance.InProgress();
    }

    private Task<OrderAcceptance.Accepted?> PublishAsync(OrderRequest request, string orderId,
        CancellationToken cancellationToken) =>
        PublishAsync(request, orderId, new PublishTransaction { Writes = [IndexWrite(orderId)] }, cancellationToken);

    private async Task<OrderAcceptance.Accepted?> PublishAsync(OrderRequest request, string orderId,
        PublishTransaction transaction, CancellationToken cancellationToken)
    {
        var order = request.ToEvent(orderId, time.GetUtcNow());
        var payload = JsonSerializer.SerializeToUtf8Bytes(order, JsonSerializerOptions.Web);
        var message = new OutgoingMessage(OrderPlaced.MessageType, payload) { MessageId = orderId };
        var entryId = await publisher.PublishAsync(_options.Stream, message, transaction, cancellationToken)
            .ConfigureAwait(false);
        if (entryId is null)
            return null;
        LogPublished(orderId, entryId, order.Items.Count);
        return new OrderAcceptance.Accepted(orderId, entryId, Replayed: false);
    }

    /// <summary>Order id → entry id for the status endpoint, written with the entry.</summary>
    private EntryIdWrite IndexWrite(string orderId) =>
        EntryIdWrite.EntryId(OrderKeys.OrderIndex(_options.Stream, orderId), _options.OrderIndexTtl);

    private async Task TryReleaseAsync(IDatabase database, string key, IdempotencyRecord reservation)
    {
        try
        {
            var transaction = database.CreateTransaction();
            transaction.AddCondition(Condition.StringEqual(key, reservation.ToJson()));
            _ = transaction.KeyDeleteAsync(key);
            await transaction.ExecuteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogReleaseFailed(ex, reservation.OrderId);
        }
    }

    /// <summary>A new order id: 32 hex characters, time-ordered (UUID v7), safe in keys, URLs and file names.</summary>
    public static string NewOrderId() => Guid.CreateVersion7().ToString("N");

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Published order {OrderId} as entry {EntryId} with {ItemCount} items")]
    private partial void LogPublished(string orderId, string entryId, int itemCount);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Replayed the answer for order {OrderId} (Idempotency-Key seen before)")]
    private partial void LogReplayed(string orderId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not release the idempotency reservation of order {OrderId}; it expires by itself")]
    private partial void LogReleaseFailed(Exception exception, string orderId);
}
