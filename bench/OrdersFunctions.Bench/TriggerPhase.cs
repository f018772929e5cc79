using System.Diagnostics;
using System.Globalization;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.WebJobs;
using StackExchange.Redis;

namespace OrdersFunctions.Bench;

/// <summary>
/// The trigger path: the same pre-published entries as <c>consume_1x1</c>, consumed through the host-side
/// WebJobs extension in an in-process JobHost (registered with <c>AddRedisStreams</c>, as the Functions host does) by
/// one trivial function taking the payload as a <c>string</c>, default trigger options. Timed from the host's start
/// until every entry was handled and acknowledged (XPENDING 0).
/// </summary>
internal static class TriggerPhase
{
    private const string FunctionName = nameof(TriggerBenchFunction.Handle);
    private const string BatchFunctionName = nameof(TriggerBatchBenchFunction.HandleBatch);

    /// <param name="minimumLevel">The host's log level: Information is the Functions host's default (each invocation
    /// then writes its "Executing"/"Executed" lines); Warning shows what those lines cost.</param>
    /// <param name="batched">One invocation per batch (<c>string[]</c>, <c>IsBatched</c>, default MaxBatchSize 100)
    /// instead of one per entry.</param>
    public static async Task<TriggerFigures> RunAsync(string connectionString, IDatabase db, BenchOptions options,
        LogLevel minimumLevel, bool batched = false)
    {
        var stream = Phases.NewStream("trigger");
        const string Group = "bench-trigger";
        var publishedAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await Phases.PipelinedAsync(options.Entries, _ => db.StreamAddAsync(stream, Phases.Envelope(publishedAt)),
            options);
        var function = new EntryCounter(options.Entries);
        var logSink = new FormattingLogSink();
        using var host = batched
            ? BuildHost(connectionString, stream, Group, typeof(TriggerBatchBenchFunction), BatchFunctionName,
                new TriggerBatchBenchFunction(function), logSink, minimumLevel)
            : BuildHost(connectionString, stream, Group, typeof(TriggerBenchFunction), FunctionName,
                new TriggerBenchFunction(function), logSink, minimumLevel);
        try
        {
            var cpu = ProcessCpu.Start();
            var clock = Stopwatch.StartNew();
            await host.StartAsync();
            await function.AllHandled.WaitAsync(options.PhaseTimeout);
            await Phases.WaitUntilAcknowledgedAsync(db, stream, Group, options.PhaseTimeout);
            var perSecond = options.Entries / clock.Elapsed.TotalSeconds;
            return new TriggerFigures(perSecond, cpu.MicrosecondsPer(options.Entries),
                (double)logSink.Lines / options.Entries);
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"  trigger ({minimumLevel}): only {function.Handled:N0} of {options.Entries:N0} " +
                $"handled within {options.PhaseTimeout.TotalSeconds:0} s");
            return new TriggerFigures(0, double.NaN, double.NaN);
        }
        finally
        {
            await host.StopAsync();
            await db.KeyDeleteAsync(stream);
        }
    }

    private static IHost BuildHost(string connectionString, string stream, string group, Type functionType,
        string functionName, object function, FormattingLogSink logSink, LogLevel minimumLevel)
    {
        // Everything else at the trigger's defaults (batch 256, concurrency 16, …); the consumer name is fixed so the
        // bench never takes an instance slot of a locally running app.
        var settings = new Dictionary<string, string?>
        {
            ["RedisConnection"] = connectionString,
            ["BenchStream"] = stream,
            ["BenchGroup"] = group,
            [$"RedisStreams:Functions:{functionName}:Consumer"] = "bench-c0",
        };
        return new HostBuilder()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings))
            .ConfigureWebJobs(webJobs => webJobs.AddRedisStreams())
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(logSink).SetMinimumLevel(minimumLevel))
            .ConfigureServices(services =>
            {
                services.AddSingleton<ITypeLocator>(new SingleTypeLocator(functionType));
                services.AddSingleton<IJobActivator>(new SingleInstanceActivator(function));
            })
            .Build();
    }

    private sealed class SingleTypeLocator(Type type) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => [type];
    }

    private sealed class SingleInstanceActivator(object instance) : IJobActivator
    {
        public T CreateInstance<T>() => (T)instance;
    }
}

/// <summary>Entries per second through the JobHost, this process's CPU time per invocation (host start included), and
/// the log lines the host wrote per invocation.</summary>
internal sealed record TriggerFigures(
    double PerSecond, double CpuMicrosecondsPerInvocation, double LogLinesPerInvocation);

/// <summary>Counts handled entries and says when all are in.</summary>
internal sealed class EntryCounter(int expected)
{
    private readonly TaskCompletionSource _allHandled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _handled;

    internal Task AllHandled => _allHandled.Task;

    internal long Handled => Interlocked.Read(ref _handled);

    internal void Add(int entries)
    {
        if (Interlocked.Add(ref _handled, entries) >= expected)
            _allHandled.TrySetResult();
    }
}

/// <summary>The trivial function of the trigger phase: counts deliveries, does nothing else.</summary>
public sealed class TriggerBenchFunction
{
    private readonly EntryCounter _counter;

    internal TriggerBenchFunction(EntryCounter counter) => _counter = counter;

    public void Handle(
        [RedisConsumerGroupTrigger("RedisConnection", "%BenchStream%",
            ConsumerGroup = "%BenchGroup%")] string payload) =>
        _counter.Add(1);
}

/// <summary>The batched twin: one invocation per batch (trigger defaults: up to 100 entries, 20 ms to fill
/// one).</summary>
public sealed class TriggerBatchBenchFunction
{
    private readonly EntryCounter _counter;

    internal TriggerBatchBenchFunction(EntryCounter counter) => _counter = counter;

    public void HandleBatch(
        [RedisConsumerGroupTrigger("RedisConnection", "%BenchStream%", ConsumerGroup = "%BenchGroup%",
            IsBatched = true)] string[] payloads) =>
        _counter.Add(payloads.Length);
}

/// <summary>
/// Stands in for the Functions host's log sinks (Application Insights, the host's file and system loggers): every line
/// that passes the level filter is formatted, as a real sink would, then dropped, so the bench measures the cost of
/// producing the lines without the cost of a console. Counts the lines.
/// </summary>
internal sealed class FormattingLogSink : ILoggerProvider
{
    private long _lines;
    private long _characters;
    private int _errorsShown;

    public long Lines => Interlocked.Read(ref _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(FormattingLogSink sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            // The function-result line (category Host.Results) has a formatter that returns null: its state is the
            // structured record, which structured sinks such as Application Insights read.
            var text = formatter?.Invoke(state, exception) ?? "";
            // A failing invocation would make the figure meaningless: show the first few, one line each.
            if (logLevel >= LogLevel.Warning && exception is not null
                && Interlocked.Increment(ref sink._errorsShown) <= 3)
                Console.WriteLine($"  host {logLevel}: {text} ({exception.GetType().Name}: {exception.Message})");
            Interlocked.Increment(ref sink._lines);
            Interlocked.Add(ref sink._characters, text.Length);
        }
    }
}
