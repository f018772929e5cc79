using System.Net;
using System.Net.Sockets;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>Free loopback ports. The port is free when returned; a server that then fails to bind it (another
/// process took it meanwhile) is retried on a new port by its caller.</summary>
public static class FreeTcpPort
{
    /// <summary>A port free on 127.0.0.1. With <paramref name="alsoFreeAtOffset"/> (Redis Cluster's bus port is
    /// port + 10000) the port at that offset is free as well.</summary>
    public static int Next(int? alsoFreeAtOffset = null)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Probe(0);
            if (alsoFreeAtOffset is not { } offset)
                return port;
            if (port + offset <= IPEndPoint.MaxPort && IsFree(port + offset))
                return port;
        }
        throw new InvalidOperationException("No free loopback port pair found after 100 attempts.");
    }

    /// <summary>Whether nothing listens on 127.0.0.1:<paramref name="port"/> now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            Probe(port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Probe(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
