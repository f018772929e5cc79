using System.Collections.Concurrent;
using System.Text;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Consuming;
using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Overview;
using OrdersFunctions.RedisStreams.Publishing;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Testing;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.Operations;

/// <summary>
/// One test's stream with any number of groups, each with one engine subscriber that gives up after one delivery
/// (so a failure dead-letters at once) and whose handler fails while its group is set to fail, and records every run.
/// </summary>
internal sealed class DeadLetterWorld : IAsyncDisposable
{
    private readonly List<StreamSubscriber> _subscribers = [];
    private readonly ConcurrentDictionary<string, bool> _failing = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StreamMessage>> _runs = new();

    public DeadLetterWorld(
        string connectionString, [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        Connections = new RedisConnectionFactory(connectionString);
        Stream = TestNames.Stream(testName);
        Publisher = new StreamPublisher(Connections);
        Inspector = new StreamGroupInspector(Connections);
    }

    public RedisConnectionFactory Connections { get; }
    public string Stream { get; }
    public string DeadLetterStream => Stream + ":dead-letter";
    public StreamPublisher Publisher { get; }
    public StreamGroupInspector Inspector { get; }

    public DeadLetterStore Store(DeadLetterStoreOptions? options = null) => new(Connections, options);

    public async Task<IDatabase> DatabaseAsync() => (await Connections.GetSharedAsync()).GetDatabase();

    /// <summary>Starts one subscriber for <paramref name="group"/>, failing with <typeparamref name="TException"/>
    /// while <see cref="Fail"/> says so.</summary>
    public async Task StartGroupAsync<TException>(string group, bool failing) where TException : Exception, new()
    {
        _failing[group] = failing;
        var runs = _runs.GetOrAdd(group, _ => new ConcurrentQueue<StreamMessage>());
        var subscriber = new StreamSubscriber(Connections, new StreamSubscriberOptions
        {
            Stream = Stream,
            Group = group,
            Consumer = TestNames.Consumer(group),
            MaxDeliveries = 1,
            BlockTimeout = TimeSpan.FromMilliseconds(200),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
            ClaimMinIdle = TimeSpan.FromSeconds(1),
            RetryBackoffInitial = TimeSpan.FromMilliseconds(50),
            RetryBackoffMax = TimeSpan.FromMilliseconds(100),
        }, (message, _) =>
        {
            runs.Enqueue(message);
            return _failing[group] ? throw new TException() : Task.CompletedTask;
        });
        await subscriber.StartAsync();
        _subscribers.Add(subscriber);
    }

    public Task StartGroupAsync(string group, bool failing) =>
        StartGroupAsync<InvalidOperationException>(group, failing);

    public void Fail(string group, bool failing) => _failing[group] = failing;

    /// <summary>Every handler run in <paramref name="group"/>, in order.</summary>
    public IReadOnlyList<StreamMessage> Runs(string group) =>
        _runs.TryGetValue(group, out var runs) ? runs.ToArray() : [];

    public Task<string> PublishAsync(int n) =>
        Publisher.PublishAsync(
            Stream, new OutgoingMessage("T", Encoding.UTF8.GetBytes($"{{\"orderId\":\"order-{n}\",\"n\":{n}}}")));

    /// <summary>Waits until <paramref name="group"/> has dead-lettered <paramref name="count"/> entries; returns them
    /// oldest first.</summary>
    public async Task<IReadOnlyList<DeadLetter>> WaitForDeadLettersAsync(string group, int count)
    {
        var store = Store();
        IReadOnlyList<DeadLetter> found = [];
        await Eventually.HoldsAsync(async () =>
        {
            found = (await store.ListAsync(
                new DeadLetterQuery { DeadLetterStream = DeadLetterStream, Group = group, Limit = 500 })).Items;
            return found.Count >= count;
        }, $"{count} dead letters of group {group}", () => Task.FromResult($"{found.Count} so far"));
        return found;
    }

    /// <summary>Waits until the group has read everything and acknowledged it.</summary>
    public Task WaitForDrainedAsync(string group) =>
        Eventually.HoldsAsync(async () => await Inspector.GetGroupAsync(Stream, group) is { Pending: 0, Lag: 0 },
            $"group {group} has read and acknowledged everything");

    public async ValueTask DisposeAsync()
    {
        foreach (var subscriber in _subscribers)
            await subscriber.DisposeAsync();
        var database = await DatabaseAsync();
        await database.KeyDeleteAsync([Stream, DeadLetterStream]);
        await Connections.DisposeAsync();
    }
}
