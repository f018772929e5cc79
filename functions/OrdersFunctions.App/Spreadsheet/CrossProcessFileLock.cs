namespace OrdersFunctions.App.Spreadsheet;

/// <summary>
/// An exclusive lock between processes (and between instances in one process): a lock file opened with
/// <see cref="FileShare.None"/>, which .NET turns into <c>flock(LOCK_EX)</c> on Linux and a share-mode open on
/// Windows. The OS drops it when the holder dies, so a crash never leaves it stuck.
/// </summary>
public sealed class CrossProcessFileLock : IDisposable
{
    private readonly FileStream _handle;

    private CrossProcessFileLock(FileStream handle) => _handle = handle;

    /// <summary>Waits (polling with a short growing delay) until the lock at <paramref name="lockPath"/> is
    /// ours.</summary>
    /// <exception cref="DirectoryNotFoundException">The lock file's folder does not exist.</exception>
    public static async Task<CrossProcessFileLock> AcquireAsync(string lockPath, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            try
            {
                return new CrossProcessFileLock(
                    new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            // A missing folder is not a lock held by someone else: waiting would not help, the caller creates it.
            catch (IOException ex)
                when (ex is not DirectoryNotFoundException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
