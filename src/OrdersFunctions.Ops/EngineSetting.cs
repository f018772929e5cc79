namespace OrdersFunctions.Ops;

/// <summary>One engine option value and where it was set (named in an error).</summary>
/// <param name="Name">The option name, e.g. <c>RetentionMinAge</c>.</param>
/// <param name="Value">Its text.</param>
/// <param name="Source">Where it came from, e.g. "setting 'RedisStreams__RetentionMinAge'".</param>
public sealed record EngineSetting(string Name, string Value, string Source);
