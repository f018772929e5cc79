using System.Net;
using System.Net.Sockets;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// A loopback port that refuses connections for as long as this object lives: it is bound but never listened on, so no
/// other process (a Redis started by another test, say) can take it while a test counts on nothing answering there.
/// </summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void Dispose() => _socket.Dispose();
}
