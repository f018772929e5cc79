using System.Diagnostics;
using StackExchange.Redis;
using Xunit;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// A 3-node Redis Cluster on loopback for a test collection: three <c>redis-server --cluster-enabled yes</c> processes
/// on free ports (own directories and <c>nodes.conf</c>), joined with
/// <c>redis-cli --cluster create … --cluster-replicas 0</c>; ready when every node reports <c>cluster_state:ok</c>.
/// <c>ORDERS_TEST_REDIS_CLUSTER</c> (a connection string listing the nodes) replaces all that with an existing
/// cluster. <see cref="MoveSlotOfKeyAsync"/> reshards a key's slot to another node, so tests can check that MOVED
/// redirections are followed.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime, IRedisTestServer
{
    /// <summary>The environment variable holding an explicit cluster connection string.</summary>
    public const string ConnectionStringVariable = "ORDERS_TEST_REDIS_CLUSTER";

    private const int NodeCount = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly List<RedisServerProcess> _nodes = [];
    private ConnectionMultiplexer? _connection;
    private string? _connectionString;

    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The fixture is not initialised.");

    public string Description => _nodes.Count == 0
        ? $"Redis Cluster from {ConnectionStringVariable}"
        : "Redis Cluster on " + string.Join(", ", _nodes.Select(n => n.EndPoint));

    /// <summary>The node endpoints (<c>127.0.0.1:port</c>) when the fixture started them.</summary>
    public IReadOnlyList<string> NodeEndPoints => _nodes.Select(n => n.EndPoint).ToList();

    public async Task InitializeAsync()
    {
        var explicitConnection = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(explicitConnection))
        {
            _connectionString = explicitConnection;
        }
        else
        {
            if (RedisServerProcess.FindExecutable() is null)
                throw new InvalidOperationException(
                    $"No Redis Cluster for tests: {RedisServerProcess.InstallHint}, " +
                    $"or set {ConnectionStringVariable}.");
            var cli = Executables.Find("redis-cli")
                ?? throw new InvalidOperationException(
                    "redis-cli is not on PATH; the cluster fixture needs it for 'redis-cli --cluster create': " +
                    "install redis-tools (apt-get install -y redis-tools, it comes with redis-server), " +
                    $"or set {ConnectionStringVariable}.");
            for (var i = 0; i < NodeCount; i++)
            {
                _nodes.Add(await RedisServerProcess.StartAsync(
                    appendOnly: false,
                    extraArguments:
                    [
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000",
                    ],
                    needsBusPort: true).ConfigureAwait(false));
            }
            await CreateClusterAsync(cli).ConfigureAwait(false);
            await WaitUntilEveryNodeSaysOkAsync().ConfigureAwait(false);
            _connectionString = string.Join(",", _nodes.Select(n => n.EndPoint))
                + ",abortConnect=false,connectTimeout=5000";
        }
        _connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true")
            .ConfigureAwait(false);
    }

    public Task<IConnectionMultiplexer> GetConnectionAsync() =>
        Task.FromResult<IConnectionMultiplexer>(
            _connection ?? throw new InvalidOperationException("The fixture is not initialised."));

    /// <summary>
    /// Moves the hash slot of <paramref name="key"/> (with the keys in it) to another master, the way
    /// <c>redis-cli --cluster reshard</c> does: IMPORTING/MIGRATING, MIGRATE of every key, then SETSLOT NODE on every
    /// master. Afterwards a client with the old slot map gets MOVED. Returns the new owner's endpoint.
    /// </summary>
    public async Task<string> MoveSlotOfKeyAsync(RedisKey key)
    {
        var connection = await GetConnectionAsync().ConfigureAwait(false);
        var slot = connection.HashSlot(key);
        var masters = await MastersAsync(connection).ConfigureAwait(false);
        var source = masters.Single(m => m.Slots.Any(range => range.From <= slot && slot <= range.To));
        var target = masters.First(m => m.NodeId != source.NodeId);
        var sourceServer = connection.GetServer(source.EndPoint!);
        var targetServer = connection.GetServer(target.EndPoint!);

        await targetServer.ExecuteAsync("CLUSTER", "SETSLOT", slot, "IMPORTING", source.NodeId).ConfigureAwait(false);
        await sourceServer.ExecuteAsync("CLUSTER", "SETSLOT", slot, "MIGRATING", target.NodeId).ConfigureAwait(false);
        while (true)
        {
            var keys = (RedisResult[])(await sourceServer.ExecuteAsync("CLUSTER", "GETKEYSINSLOT", slot, 100)
                .ConfigureAwait(false))!;
            if (keys.Length == 0)
                break;
            var endpoint = (System.Net.IPEndPoint)target.EndPoint!;
            var args = new List<object> { endpoint.Address.ToString(), endpoint.Port, "", 0, 5000, "KEYS" };
            args.AddRange(keys.Select(k => (object)(RedisKey)k));
            await sourceServer.ExecuteAsync("MIGRATE", args.ToArray()).ConfigureAwait(false);
        }
        // Target first (it bumps its epoch and so wins any later disagreement), then the source, then the rest, as
        // redis-cli does; the source told last could, by gossip, briefly hand the slot back in others' view.
        var order = new[] { target, source }
            .Concat(masters.Where(m => m.NodeId != target.NodeId && m.NodeId != source.NodeId));
        foreach (var master in order)
            await connection.GetServer(master.EndPoint!)
                .ExecuteAsync("CLUSTER", "SETSLOT", slot, "NODE", target.NodeId)
                .ConfigureAwait(false);
        return target.EndPoint!.ToString()!;
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        foreach (var node in _nodes)
            await node.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ClusterNode>> MastersAsync(IConnectionMultiplexer connection)
    {
        var any = connection.GetServers().First(s => s.IsConnected);
        var config = await any.ClusterNodesAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException("CLUSTER NODES returned nothing.");
        return config.Nodes.Where(n => !n.IsReplica && n.EndPoint is not null).ToList();
    }

    private async Task CreateClusterAsync(string cli)
    {
        var start = new ProcessStartInfo(cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add("create");
        foreach (var node in _nodes)
            start.ArgumentList.Add(node.EndPoint);
        start.ArgumentList.Add("--cluster-replicas");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("--cluster-yes");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{cli} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"'redis-cli --cluster create' failed with exit code {process.ExitCode}: " +
                $"{await stdout.ConfigureAwait(false)} {await stderr.ConfigureAwait(false)}");
    }

    private async Task WaitUntilEveryNodeSaysOkAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var options = ConfigurationOptions.Parse(string.Join(",", _nodes.Select(n => n.EndPoint)));
        options.AbortOnConnectFail = false;
        await using var probe = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        string lastState = "";
        while (DateTime.UtcNow < deadline)
        {
            var ok = 0;
            foreach (var node in _nodes)
            {
                try
                {
                    var info = (string?)await probe.GetServer(node.EndPoint)
                        .ExecuteAsync("CLUSTER", "INFO")
                        .ConfigureAwait(false) ?? "";
                    lastState = info;
                    if (info.Contains("cluster_state:ok", StringComparison.Ordinal))
                        ok++;
                }
                catch (RedisException)
                {
                }
            }
            if (ok == _nodes.Count)
                return;
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new InvalidOperationException(
            $"The cluster on {Description} did not reach cluster_state:ok " +
            $"within {ReadyTimeout.TotalSeconds} s: {lastState}");
    }
}
