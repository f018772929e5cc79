using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrdersFunctions.Bench;

/// <summary>
/// Another client of the same Redis: during a window, PING every <see cref="Interval"/> over a plain socket, from a
/// thread of its own, recording each round trip. Plain socket and own thread, so the figure is Redis's answer time plus
/// the loopback, not StackExchange.Redis's or the thread pool's (the bench's other work runs on the pool).
/// </summary>
internal sealed class PingSampler : IDisposable
{
    /// <summary>How often it pings.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    private static readonly byte[] Ping = Encoding.ASCII.GetBytes("PING\r\n");
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly List<double> _samples = new(16_384);
    private volatile bool _recording;
    private volatile bool _stopping;

    public PingSampler(EndPoint redis)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(redis);
        _thread = new Thread(Run) { IsBackground = true, Name = "ping-sampler" };
        _thread.Start();
    }

    /// <summary>Starts a new window of samples.</summary>
    public void StartWindow()
    {
        lock (_samples)
            _samples.Clear();
        _recording = true;
    }

    /// <summary>Ends the window: its p99 in ms, and how many samples it holds.</summary>
    public (double P99, int Samples) EndWindow()
    {
        _recording = false;
        lock (_samples)
            return (Stats.Percentile(_samples.Order().ToArray(), 0.99), _samples.Count);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _socket.Dispose();
    }

    private void Run()
    {
        var reply = new byte[7]; // +PONG\r\n
        while (!_stopping)
        {
            if (!_recording)
            {
                // Between windows it sends nothing, so the Redis CPU windows measured then carry no PING traffic.
                Thread.Sleep(Interval);
                continue;
            }
            var start = Stopwatch.GetTimestamp();
            _socket.Send(Ping);
            for (var read = 0; read < reply.Length;)
                read += _socket.Receive(reply, read, reply.Length - read, SocketFlags.None);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (_samples)
                _samples.Add(elapsed);
            Thread.Sleep(Interval);
        }
    }
}

/// <summary>Percentiles of sorted samples.</summary>
internal static class Stats
{
    public static double Percentile(double[] sorted, double p) => sorted.Length == 0
        ? double.NaN
        : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
