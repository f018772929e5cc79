namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>Where a consumer group starts when the subscriber has to create it.</summary>
public enum StreamStartPosition
{
    /// <summary>At the first entry of the stream (<c>0</c>): a newly added group back-fills what the stream still
    /// holds. The default, because a new consumer of <c>orders-placed</c> usually wants every order.</summary>
    Beginning = 0,

    /// <summary>After the last entry (<c>$</c>): only entries added after the group was created.</summary>
    NewEntriesOnly = 1,
}
