namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// A numbered consumer slot on this machine, held while this object lives: the lowest number whose lock file (opened
/// with <see cref="FileShare.None"/> in a per-user folder under the temp folder) no other holder has open. The
/// operating system releases the lock when the process dies, however it dies, so a restarted instance gets the same
/// number back while instances running at the same time get different ones. That gives a consumer name that survives
/// restarts (its pending entries are resumed under the same name) without a random or pid-based name per start.
/// </summary>
public sealed class ConsumerSlot : IDisposable
{
    /// <summary>More slots than this on one machine means something leaks them; stop looking.</summary>
    public const int MaxSlots = 1024;

    private readonly FileStream _lock;

    private ConsumerSlot(int number, FileStream lockFile)
    {
        Number = number;
        _lock = lockFile;
        Name = $"{Environment.MachineName}-{number}";
    }

    /// <summary>The slot number, from 1.</summary>
    public int Number { get; }

    /// <summary>The consumer name: <c>{machine}-{number}</c>.</summary>
    public string Name { get; }

    /// <summary>The folder of the lock files: per user, because the temp folder may be shared between users.</summary>
    public static string DefaultFolder =>
        Path.Combine(Path.GetTempPath(), $"ordersfunctions-consumer-slots-{Environment.UserName}");

    /// <summary>Takes the lowest free slot.</summary>
    /// <param name="folder">Where the lock files live; <see cref="DefaultFolder"/> when null
    /// (tests pass their own).</param>
    /// <exception cref="IOException">The folder cannot be created or written, or all <see cref="MaxSlots"/> are held;
    /// the message says which.</exception>
    public static ConsumerSlot Take(string? folder = null)
    {
        folder ??= DefaultFolder;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"Cannot create the consumer slot folder '{folder}' ({ex.Message}): make the temp folder writable, " +
                "or set WEBSITE_INSTANCE_ID to name this instance.", ex);
        }
        for (var number = 1; number <= MaxSlots; number++)
        {
            var path = Path.Combine(folder, $"{number}.lock");
            try
            {
                var file = new FileStream(
                    path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
                return new ConsumerSlot(number, file);
            }
            catch (IOException)
            {
                // Held by a running instance (or unreadable): try the next number.
            }
            catch (UnauthorizedAccessException)
            {
                // Created by another user with a shared temp folder layout: not ours to take.
            }
        }
        throw new IOException(
            $"All {MaxSlots} consumer slots in '{folder}' are held by running processes: stop some, " +
            "or set WEBSITE_INSTANCE_ID to name this instance.");
    }

    /// <summary>Releases the slot for the next instance that starts.</summary>
    public void Dispose() => _lock.Dispose();
}
