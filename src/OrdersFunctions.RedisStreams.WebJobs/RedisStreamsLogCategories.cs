namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Log categories of the extension. The Functions host drops every category that does not start with <c>Host.</c>,
/// <c>Function.</c>, <c>Worker.</c> or <c>Microsoft.Azure.WebJobs.</c>, so the engine's own loggers are created under
/// this prefix too (filter them in host.json with <c>"Host.Triggers.RedisStreams": "Information"</c>).
/// </summary>
public static class RedisStreamsLogCategories
{
    /// <summary>The category of the extension and of the engine subscribers it runs.</summary>
    public const string Trigger = "Host.Triggers.RedisStreams";
}
