namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>How a problem names the connection setting: <c>app setting 'RedisConnection'</c> when the connection string
/// came from one, else <c>the Redis connection string</c>.</summary>
internal readonly record struct SettingPhrase(string? SettingName)
{
    /// <summary>At the start of a sentence.</summary>
    public string Subject => SettingName is null ? "The Redis connection string" : $"App setting '{SettingName}'";

    /// <summary>Inside a sentence.</summary>
    public string Object => SettingName is null ? "the Redis connection string" : $"app setting '{SettingName}'";
}
