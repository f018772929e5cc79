namespace OrdersFunctions.Ops;

/// <summary>The command line's exit codes, for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An unexpected error.</summary>
    public const int Failed = 1;

    /// <summary>Wrong command or option (the usage is printed).</summary>
    public const int Usage = 2;

    /// <summary>No such dead letter.</summary>
    public const int NotFound = 3;

    /// <summary>Already replayed or discarded, being replayed, or at the replay cap.</summary>
    public const int Conflict = 4;

    /// <summary>Redis could not be reached.</summary>
    public const int RedisUnreachable = 5;

    /// <summary>Interrupted (Ctrl+C): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
