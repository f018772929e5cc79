using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// A quick check whether a Docker engine answers, so that fixtures fall through to a local redis-server in well under a
/// second on machines that have only the Docker client (Testcontainers' own discovery can take much longer to give up).
/// Asks <c>GET /_ping</c> on <c>DOCKER_HOST</c> (unix:// or tcp://), else on the default and rootless sockets.
/// </summary>
public static class DockerEngine
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>True when a Docker engine answered the ping within a second.</summary>
    public static async Task<bool> AnswersAsync()
    {
        foreach (var endpoint in Candidates())
        {
            if (await PingAsync(endpoint).ConfigureAwait(false))
                return true;
        }
        return false;
    }

    private static IEnumerable<EndPoint> Candidates()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(host))
        {
            if (host.StartsWith("unix://", StringComparison.Ordinal))
                yield return new UnixDomainSocketEndPoint(host["unix://".Length..]);
            else if (Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme == "tcp")
                yield return new DnsEndPoint(uri.Host, uri.Port);
            yield break;
        }
        if (OperatingSystem.IsWindows())
            yield break; // Named pipes: leave it to Testcontainers users to set ORDERS_TEST_REDIS on Windows.
        foreach (var path in new[]
                 {
                     "/var/run/docker.sock",
                     Path.Combine(
                         Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") ?? "/nonexistent",
                         "docker.sock"),
                     Path.Combine(
                         Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                         ".docker/run/docker.sock"),
                 })
        {
            if (File.Exists(path))
                yield return new UnixDomainSocketEndPoint(path);
        }
    }

    private static async Task<bool> PingAsync(EndPoint endpoint)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var protocol = endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        var family = endpoint is UnixDomainSocketEndPoint ? AddressFamily.Unix : AddressFamily.Unspecified;
        try
        {
            using var socket = family == AddressFamily.Unix
                ? new Socket(AddressFamily.Unix, SocketType.Stream, protocol)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(
                    Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"),
                    timeout.Token)
                .ConfigureAwait(false);
            var buffer = new byte[512];
            var read = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.", StringComparison.Ordinal)
                   && Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
