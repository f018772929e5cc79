using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// Kills every redis-server this test process started when the test process exits, so an aborted run (a fixture whose
/// dispose never ran) leaves no server behind.
/// </summary>
internal static class RedisProcessReaper
{
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    static RedisProcessReaper()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Track(Process process)
    {
        Running.TryAdd(process, 0);
        process.Exited += (_, _) => Running.TryRemove(process, out _);
    }

    private static void KillAll()
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
