using System.Net;
using System.Net.Sockets;
using OrdersFunctions.RedisStreams.Redis;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.UnitTests;

/// <summary>
/// StackExchange.Redis 2.8 reads the TLS handshake with blocking calls and no timeout of their own; the factory bounds
/// them at the connect timeout through the socket, so a server that never answers cannot hold a thread forever.
/// </summary>
public class TlsHandshakeBoundTests
{
    private static readonly EndPoint AnyEndPoint = new DnsEndPoint("localhost", 6380);

    [Fact]
    public void TlsOptions_BoundTheSocketsBlockingReadsAndWrites_AtTheConnectTimeout()
    {
        var options = ConfigurationOptions.Parse("localhost:6380,ssl=true,connectTimeout=1500");

        RedisConnectionFactory.BoundTlsHandshake(options);

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        options.BeforeSocketConnect!(AnyEndPoint, ConnectionType.Interactive, socket);
        Assert.Equal(1500, socket.ReceiveTimeout);
        Assert.Equal(1500, socket.SendTimeout);
    }

    [Fact]
    public void TlsOptions_StillRunTheCallersOwnSocketSetup()
    {
        var options = ConfigurationOptions.Parse("localhost:6380,ssl=true");
        var called = false;
        options.BeforeSocketConnect = (_, _, _) => called = true;

        RedisConnectionFactory.BoundTlsHandshake(options);

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        options.BeforeSocketConnect!(AnyEndPoint, ConnectionType.Interactive, socket);
        Assert.True(called);
    }

    [Fact]
    public void PlainOptions_AreLeftAsTheyAre()
    {
        var options = ConfigurationOptions.Parse("localhost:6379");

        RedisConnectionFactory.BoundTlsHandshake(options);

        Assert.Null(options.BeforeSocketConnect);
    }

    [Fact]
    public void DedicatedOptions_KeepTheBound()
    {
        var shared = ConfigurationOptions.Parse("localhost:6380,ssl=true,connectTimeout=1500");
        RedisConnectionFactory.BoundTlsHandshake(shared);

        var dedicated = RedisConnectionFactory.DedicatedOptions(shared, "c:g:reader");

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        dedicated.BeforeSocketConnect!(AnyEndPoint, ConnectionType.Interactive, socket);
        Assert.Equal(1500, socket.ReceiveTimeout);
    }
}
