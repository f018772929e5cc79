namespace OrdersFunctions.Ops;

/// <summary>The command line's exit codes, for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An unexpected error.</summary>
    public const int Failed = 1;

    /// <summary>Wrong command or option (the usage is printed).</summary>
    public const int Usage = 2;

    /// <summary>No such dead letter, or no such stream in Redis.</summary>
    public const int NotFound = 3;

    /// <summary>Already replayed or discarded, being replayed, or at the replay cap.</summary>
    public const int Conflict = 4;

    /// <summary>Redis could not be reached.</summary>
    public const int RedisUnreachable = 5;

    /// <summary>A bulk action was not confirmed at the terminal: nothing changed.</summary>
    public const int NotConfirmed = 6;

    /// <summary>Interrupted (Ctrl+C): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
