using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.Bench;

/// <summary>The benchmark's phases. Each uses its own stream, deletes it afterwards, and is bounded by
/// <see cref="BenchOptions.PhaseTimeout"/>.</summary>
internal static class Phases
{
    /// <summary>Commands kept in flight by the pipelined phases.</summary>
    private const int Window = 1_000;

    /// <summary>An order-sized JSON payload, the same in every phase.</summary>
    public static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        "{\"orderId\":\"3f2c9a1e7b5d4c8e9f0a1b2c3d4e5f60\",\"customerEmail\":\"a@b.example\"," +
        "\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":2,\"unitPrice\":12.5}],\"total\":25.0," +
        "\"placedAt\":\"2026-11-25T12:00:00Z\"}");

    public static async Task<double> RawXAddAsync(IDatabase db, BenchOptions options)
    {
        var stream = NewStream("xadd");
        var publishedAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        try
        {
            return await PipelinedAsync(options.Entries, _ => db.StreamAddAsync(stream, Envelope(publishedAt)),
                options);
        }
        finally
        {
            await db.KeyDeleteAsync(stream);
        }
    }

    public static async Task<double> PublishAsync(string connectionString, IDatabase db, BenchOptions options)
    {
        var stream = NewStream("publish");
        await using var connections = new RedisConnectionFactory(connectionString);
        var publisher = new StreamPublisher(connections);
        await publisher.PublishAsync(stream, new OutgoingMessage("OrderPlaced", Payload)); // connect outside the timing
        try
        {
            return await PipelinedAsync(options.Entries,
                _ => publisher.PublishAsync(stream, new OutgoingMessage("OrderPlaced", Payload)), options);
        }
        finally
        {
            await db.KeyDeleteAsync(stream);
        }
    }

    /// <summary>Pre-publishes the entries, then times subscribers (default options, trivial handler) from start until
    /// every group has handled and acknowledged every entry. Returns deliveries per second over all groups.</summary>
    /// <param name="configure">Changes each subscriber's options (e.g. retention on); null keeps the defaults.</param>
    /// <param name="afterDrained">Runs once every entry is acknowledged, outside the timing, while the subscribers
    /// still run (e.g. to watch retention trim); gets the stream key.</param>
    public static async Task<ThroughputFigures> ConsumeAsync(string connectionString, IDatabase db,
        BenchOptions options, int groups, int consumersPerGroup, Action<StreamSubscriberOptions>? configure = null,
        Func<string, Task>? afterDrained = null, string? name = null)
    {
        var stream = NewStream(name ?? $"consume{groups}x{consumersPerGroup}");
        var publishedAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await PipelinedAsync(options.Entries, _ => db.StreamAddAsync(stream, Envelope(publishedAt)), options);
        var target = (long)options.Entries * groups;
        long handled = 0;
        var allHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task Handler(StreamMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref handled) == target)
                allHandled.TrySetResult();
            return Task.CompletedTask;
        }

        // Consumer i of every group lives in "instance" i, as in a scaled-out app: one connection factory per instance.
        var instances = Enumerable.Range(0, consumersPerGroup)
            .Select(_ => new RedisConnectionFactory(connectionString))
            .ToList();
        foreach (var instance in instances)
            await instance.GetSharedAsync(); // connect outside the timing
        var groupNames = Enumerable.Range(0, groups).Select(g => $"bench-g{g}").ToList();
        var subscribers = new List<StreamSubscriber>();
        for (var i = 0; i < consumersPerGroup; i++)
            foreach (var group in groupNames)
            {
                var subscriberOptions = new StreamSubscriberOptions
                {
                    Stream = stream, Group = group, Consumer = $"bench-c{i}",
                };
                configure?.Invoke(subscriberOptions);
                subscribers.Add(new StreamSubscriber(instances[i], subscriberOptions, Handler));
            }
        try
        {
            var cpu = ProcessCpu.Start();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(subscribers.Select(s => s.StartAsync()));
            await allHandled.Task.WaitAsync(options.PhaseTimeout);
            foreach (var group in groupNames)
                await WaitUntilAcknowledgedAsync(db, stream, group, options.PhaseTimeout);
            var figures = new ThroughputFigures(target / clock.Elapsed.TotalSeconds, cpu.MicrosecondsPer(target));
            if (afterDrained is not null)
                await afterDrained(stream);
            return figures;
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"  consume {groups}x{consumersPerGroup}: only {Interlocked.Read(ref handled):N0} of " +
                $"{target:N0} handled within {options.PhaseTimeout.TotalSeconds:0} s");
            return new ThroughputFigures(0, double.NaN);
        }
        finally
        {
            foreach (var subscriber in subscribers)
                await subscriber.DisposeAsync();
            foreach (var instance in instances)
                await instance.DisposeAsync();
            await db.KeyDeleteAsync(stream);
        }
    }

    /// <summary>Publishes at a steady 1,000 entries/s (one XADD each, as an HTTP function would) and measures the time
    /// from the publish call to the handler's start, for entries sent after the warm-up.</summary>
    public static async Task<(double P50, double P99, int Samples)> LatencyAsync(string connectionString, IDatabase db,
        BenchOptions options)
    {
        const string SentHeader = "bench_sent";
        var stream = NewStream("latency");
        await using var connections = new RedisConnectionFactory(connectionString);
        var publisher = new StreamPublisher(connections);
        var samples = new List<double>(20_000);
        var measureFrom = long.MaxValue;
        long measuredSent = 0, measuredHandled = 0;
        var subscriber = new StreamSubscriber(connections,
            new StreamSubscriberOptions { Stream = stream, Group = "bench-latency", Consumer = "bench-c0" },
            (message, _) =>
            {
                var now = Stopwatch.GetTimestamp();
                var sent = long.Parse(message.Headers[SentHeader], CultureInfo.InvariantCulture);
                if (sent >= Volatile.Read(ref measureFrom))
                {
                    lock (samples)
                        samples.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                    Interlocked.Increment(ref measuredHandled);
                }
                return Task.CompletedTask;
            });
        try
        {
            await subscriber.StartAsync();
            var start = Stopwatch.GetTimestamp();
            var warmUpEnd = start + (long)(options.LatencyWarmUp.TotalSeconds * Stopwatch.Frequency);
            var end = warmUpEnd + (long)(options.LatencyMeasured.TotalSeconds * Stopwatch.Frequency);
            var interval = Stopwatch.Frequency / 1_000.0;
            long sentCount = 0;
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= end)
                    break;
                // Publish every entry that is due by now (the timer wakes about every millisecond), one call at a time.
                var due = (long)((now - start) / interval) + 1;
                for (; sentCount < due; sentCount++)
                {
                    var sentAt = Stopwatch.GetTimestamp();
                    if (sentAt >= warmUpEnd && measureFrom == long.MaxValue)
                        Volatile.Write(ref measureFrom, sentAt);
                    if (sentAt >= warmUpEnd)
                        measuredSent++;
                    await publisher.PublishAsync(stream, new OutgoingMessage("OrderPlaced", Payload)
                    {
                        Headers = new Dictionary<string, string>
                        {
                            [SentHeader] = sentAt.ToString(CultureInfo.InvariantCulture),
                        },
                    });
                }
                await Task.Delay(1);
            }
            var deadline = DateTime.UtcNow + options.PhaseTimeout;
            while (Interlocked.Read(ref measuredHandled) < measuredSent && DateTime.UtcNow < deadline)
                await Task.Delay(10);
            double[] sorted;
            lock (samples)
                sorted = samples.Order().ToArray();
            if (sorted.Length == 0)
                return (double.NaN, double.NaN, 0);
            return (Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length);
        }
        finally
        {
            await subscriber.DisposeAsync();
            await db.KeyDeleteAsync(stream);
        }
    }

    /// <summary>CPU time this process uses per second while only one idle subscriber (default options) runs, and the
    /// same measurement just before the subscriber starts (the runtime's and the bench's own idle cost, with the
    /// bench's admin connection); each the median of <see cref="BenchOptions.IdleWindows"/> windows. The subscriber is
    /// measured once it has been through its idle cycle (a blocking read timing out, a claim sweep) at least once, so
    /// the window holds its steady idle work and not the one-time compilation of code it runs for the first
    /// time.</summary>
    public static async Task<(double WithSubscriber, double Baseline)> IdleCpuAsync(string connectionString,
        IDatabase db, BenchOptions options)
    {
        var stream = NewStream("idle");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the previous phases' background work settle
        var baseline = await MedianCpuMillisecondsPerSecondAsync(options.IdleBaselineWindow, options.IdleWindows);
        await using var connections = new RedisConnectionFactory(connectionString);
        var subscriberOptions =
            new StreamSubscriberOptions { Stream = stream, Group = "bench-idle", Consumer = "bench-c0" };
        var subscriber = new StreamSubscriber(connections, subscriberOptions, (_, _) => Task.CompletedTask);
        try
        {
            await subscriber.StartAsync();
            // Past the first empty blocking read and the first sweep (both at 5 s by default), plus a second for what
            // they set off.
            var firstCycle = subscriberOptions.BlockTimeout > subscriberOptions.ClaimInterval
                ? subscriberOptions.BlockTimeout
                : subscriberOptions.ClaimInterval;
            await Task.Delay(firstCycle + TimeSpan.FromSeconds(1));
            return (await MedianCpuMillisecondsPerSecondAsync(options.IdleWindow, options.IdleWindows), baseline);
        }
        finally
        {
            await subscriber.DisposeAsync();
            await db.KeyDeleteAsync(stream);
        }
    }

    /// <summary>The median of <paramref name="count"/> back-to-back windows: one burst of work that is not idle work
    /// (the JIT recompiling a method that just got hot, another process's build stealing the core) then moves one
    /// window, not the figure.</summary>
    private static async Task<double> MedianCpuMillisecondsPerSecondAsync(TimeSpan window, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = await CpuMillisecondsPerSecondAsync(window);
        Array.Sort(values);
        return count % 2 == 1 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
    }

    private static async Task<double> CpuMillisecondsPerSecondAsync(TimeSpan window)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        process.Refresh();
        return (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / clock.Elapsed.TotalSeconds;
    }

    internal static async Task<double> PipelinedAsync(int count, Func<int, Task> operation, BenchOptions options)
    {
        var inFlight = new Task[Window];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var slot = i % Window;
            if (inFlight[slot] is { } previous)
                await previous;
            inFlight[slot] = operation(i);
            if (clock.Elapsed > options.PhaseTimeout)
                throw new TimeoutException(
                    $"Pipelined phase exceeded {options.PhaseTimeout.TotalSeconds:0} s after {i:N0} operations.");
        }
        await Task.WhenAll(inFlight.Where(t => t is not null));
        return count / clock.Elapsed.TotalSeconds;
    }

    internal static async Task WaitUntilAcknowledgedAsync(IDatabase db, string stream, string group, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await db.StreamPendingAsync(stream, group)).PendingMessageCount > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"Group {group} still has pending entries after {timeout.TotalSeconds:0} s.");
            await Task.Delay(2);
        }
    }

    internal static NameValueEntry[] Envelope(string publishedAt) =>
    [
        new(StreamEnvelope.MessageId, Guid.NewGuid().ToString("N")),
        new(StreamEnvelope.Type, "OrderPlaced"),
        new(StreamEnvelope.Payload, Payload),
        new(StreamEnvelope.Headers, "{}"),
        new(StreamEnvelope.PublishedAt, publishedAt),
    ];

    internal static string NewStream(string phase) => $"bench:{phase}:{Guid.NewGuid():N}";

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
