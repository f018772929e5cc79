using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrdersFunctions.Bench.Scale.Instances;

namespace OrdersFunctions.Bench.Scale.Load;

/// <summary>
/// Places orders over HTTP (POST /api/orders) at the profile's rate, spread round-robin over the routable instances as
/// a front end would. Each order has its own Idempotency-Key: a request that failed (an instance stopping or killed
/// under it) is sent again, with the same key, to another instance, so an order is accepted once however often it is
/// retried. "Accepted" = a 202 with an order id.
/// </summary>
public sealed class OrderLoad(HttpClient http, InstancePool pool, int maxInFlight)
{
    // Longer than the app's Idempotency-Key reservation (60 s): a request that died on a killed instance after
    // reserving its key is answered 409 until the reservation expires, then published by the next retry.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(150);
    private readonly ConcurrentDictionary<string, TimeSpan> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, int> _acceptedPerSecond = new();
    private long _failed;
    private long _retries;
    private int _next;

    /// <summary>Order ids answered with 202, and when.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Accepted => _accepted;

    /// <summary>Orders given up on (never accepted).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Orders accepted within second <paramref name="second"/> of the scenario.</summary>
    public int AcceptedInSecond(long second) => _acceptedPerSecond.TryGetValue(second, out var n) ? n : 0;

    public async Task RunAsync(LoadProfile profile, Func<TimeSpan> clock, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(maxInFlight);
        var sends = new List<Task>();
        long sent = 0;
        while (sent < profile.TotalOrders && !cancellationToken.IsCancellationRequested)
        {
            var due = profile.OrdersDueBy(clock());
            while (sent < due)
            {
                await slots.WaitAsync(cancellationToken);
                var number = ++sent;
                sends.Add(SendAsync(number, clock, slots, cancellationToken));
            }
            await Task.Delay(5, cancellationToken);
        }
        await Task.WhenAll(sends);
    }

    private async Task SendAsync(long number, Func<TimeSpan> clock, SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        try
        {
            var key = Guid.NewGuid().ToString("N");
            var email = string.Create(CultureInfo.InvariantCulture, $"customer{number}@load.example");
            var body = Encoding.UTF8.GetBytes("{\"customerEmail\":\"" + email
                + "\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":1,\"unitPrice\":12.5}]}");
            var since = clock();
            while (clock() - since < GiveUpAfter && !cancellationToken.IsCancellationRequested)
            {
                if (await TryOnceAsync(key, body, clock, cancellationToken))
                    return;
                Interlocked.Increment(ref _retries);
                await Task.Delay(100, cancellationToken);
            }
            Interlocked.Increment(ref _failed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<bool> TryOnceAsync(string key, byte[] body, Func<TimeSpan> clock,
        CancellationToken cancellationToken)
    {
        var targets = pool.Routable;
        if (targets.Count == 0)
            return false;
        var instance = targets[(int)((uint)Interlocked.Increment(ref _next) % (uint)targets.Count)];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(instance.BaseAddress, "api/orders"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
                return false; // 409 still running, 503 Redis, 5xx: the same key again
            var answer = await response.Content.ReadFromJsonAsync<PlaceOrderAnswer>(cancellationToken);
            if (answer?.OrderId is not { Length: > 0 } orderId)
                return false;
            var now = clock();
            if (_accepted.TryAdd(orderId, now))
                _acceptedPerSecond.AddOrUpdate((long)now.TotalSeconds, 1, (_, n) => n + 1);
            return true;
        }
        catch (HttpRequestException)
        {
            return false; // the instance went away under the request
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // HttpClient timeout
        }
    }

    private sealed record PlaceOrderAnswer(string? OrderId, string? StreamEntryId);
}
