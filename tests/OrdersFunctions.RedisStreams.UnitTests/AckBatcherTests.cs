using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersFunctions.RedisStreams.Consuming;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>The acknowledgement loop, over a scripted IDatabase (no Redis): only XACK is ever called.</summary>
public sealed class AckBatcherTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Add_AfterAnUnexpectedXackError_StillAcknowledgesEveryId()
    {
        // A server error that is neither an outage nor NOGROUP must not end the loop: every later ack would be lost.
        var database = ScriptedDatabase.Create(new RedisServerException("ERR something unexpected"));
        var acknowledged = new AcknowledgedIds();
        var batcher = NewBatcher(database, acknowledged);
        batcher.Start();

        Assert.True(batcher.Add("1-1"));
        await database.FirstCallFailed.WaitAsync(Generous);
        Assert.True(batcher.Add("1-2"));

        await acknowledged.WaitForAsync(["1-1", "1-2"]);
        await batcher.StopAsync(Generous);
    }

    [Fact]
    public async Task StopAsync_AfterAnUnexpectedXackError_DoesNotThrow()
    {
        var database = ScriptedDatabase.Create(new InvalidOperationException("a bug below us"));
        var batcher = NewBatcher(database, new AcknowledgedIds());
        batcher.Start();
        batcher.Add("1-1");
        await database.FirstCallFailed.WaitAsync(Generous);

        await batcher.StopAsync(Generous);
    }

    private static AckBatcher NewBatcher(ScriptedDatabase database, AcknowledgedIds acknowledged) =>
        new(() => (IDatabase)(object)database, "stream", "group", acknowledged.Add,
            new OutageTracker(NullLogger.Instance, "stream", "group"), NullLogger.Instance);

    private sealed class AcknowledgedIds
    {
        private readonly object _gate = new();
        private readonly HashSet<string> _ids = [];

        public void Add(List<string> ids)
        {
            lock (_gate)
                _ids.UnionWith(ids);
        }

        public async Task WaitForAsync(string[] expected)
        {
            var deadline = DateTime.UtcNow + Generous;
            while (true)
            {
                lock (_gate)
                {
                    if (_ids.IsSupersetOf(expected))
                        return;
                }
                if (DateTime.UtcNow > deadline)
                {
                    lock (_gate)
                        Assert.Fail(
                            $"Expected within {Generous.TotalSeconds} s: ids {string.Join(", ", expected)} " +
                            $"acknowledged; saw {string.Join(", ", _ids)}.");
                }
                await Task.Delay(20);
            }
        }
    }

    /// <summary>An IDatabase whose first StreamAcknowledgeAsync throws the given exception and whose later ones
    /// succeed. Any other member throws: the batcher must need nothing else.</summary>
    public class ScriptedDatabase : DispatchProxy
    {
        private Exception? _firstError;
        private readonly TaskCompletionSource _firstCallFailed =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstCallFailed => _firstCallFailed.Task;

        public static ScriptedDatabase Create(Exception firstError)
        {
            var proxy = (ScriptedDatabase)(object)Create<IDatabase, ScriptedDatabase>();
            proxy._firstError = firstError;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IDatabase.StreamAcknowledgeAsync))
                throw new NotSupportedException(targetMethod?.Name);
            var error = Interlocked.Exchange(ref _firstError, null);
            if (error is not null)
            {
                _firstCallFailed.TrySetResult();
                return Task.FromException<long>(error);
            }
            return Task.FromResult((long)((RedisValue[])args![2]!).Length);
        }
    }
}
