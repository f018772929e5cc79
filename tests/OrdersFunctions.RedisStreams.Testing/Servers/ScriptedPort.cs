using System.Net;
using System.Net.Sockets;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// A loopback port with something on it that is not a working Redis, for tests of how a failed connection is named:
/// <see cref="Silent"/> accepts connections and never answers (a hung server, or a firewall that swallows packets);
/// <see cref="AnswersHttp"/> answers every connection with an HTTP error and closes it (a web server at the address).
/// Closed, with its connections, on dispose.
/// </summary>
public sealed class ScriptedPort : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[]? _answer;
    private int _closedByClient;

    private ScriptedPort(byte[]? answer)
    {
        _answer = answer;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:{Port}</c>.</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>How many connections of a <see cref="Silent"/> port the client closed (it gave up waiting).</summary>
    public int ClosedByClient => Volatile.Read(ref _closedByClient);

    /// <summary>Accepts every connection and never sends a byte.</summary>
    public static ScriptedPort Silent() => new(answer: null);

    /// <summary>Answers every connection with <c>HTTP/1.1 400 Bad Request</c> and closes it.</summary>
    public static ScriptedPort AnswersHttp() =>
        new("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
                socket.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_answer is null)
            {
                lock (_accepted)
                    _accepted.Add(socket);
                _ = ReadUntilClosedAsync(socket);
                continue;
            }
            _ = AnswerAsync(socket);
        }
    }

    /// <summary>Reads and ignores what the client sends, never answering, until the client closes the
    /// connection.</summary>
    private async Task ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false) > 0)
            {
            }
            Interlocked.Increment(ref _closedByClient);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _closedByClient); // reset by the client
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The port is closing.
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                // Wait for the client's first bytes, as a server that parses a request would.
                var buffer = new byte[256];
                await socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                await socket.SendAsync(_answer, _stop.Token).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went first, or the port is closing.
            }
        }
    }
}
