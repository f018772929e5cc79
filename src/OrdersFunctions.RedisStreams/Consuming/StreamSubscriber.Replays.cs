using OrdersFunctions.RedisStreams.DeadLetters;
using OrdersFunctions.RedisStreams.Redis;
using OrdersFunctions.RedisStreams.Telemetry;

namespace OrdersFunctions.RedisStreams.Consuming;

public sealed partial class StreamSubscriber
{
    /// <summary>
    /// A replayed dead letter is addressed to the group that gave up on it (<see cref="ReplayFields.Group"/>); every
    /// other group acknowledges it without running its handler, which already handled the original.
    /// </summary>
    private void SkipReplayForAnotherGroup(RawEntry entry)
    {
        StreamsTelemetry.ReplaySkipped.Add(1, _tags);
        if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            Log.ReplaySkipped(_logger, entry.Id, _stream, _group, ReplayGroupOf(entry));
        Acknowledge(entry.Id);
    }

    private static string ReplayGroupOf(RawEntry entry)
    {
        var fields = entry.Fields!;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if ((string?)fields[i] == ReplayFields.Group)
                return (string?)fields[i + 1] ?? "";
        }
        return "";
    }
}
