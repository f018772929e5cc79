using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Telemetry;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Consuming;

/// <summary>Makes sure the group exists and this consumer is a member of it: at start, and again after NOGROUP (the
/// stream was deleted or flushed).</summary>
internal sealed class GroupMembership(SubscriberContext context)
{
    /// <summary>Where a group this subscriber creates starts, as XGROUP writes it.</summary>
    public string StartPositionText => context.Options.StartPosition == StreamStartPosition.NewEntriesOnly ? "$" : "0";

    /// <summary>
    /// Creates the group unless it exists, and registers this consumer; true when this call created it.
    /// </summary>
    public async Task<bool> EnsureAsync()
    {
        var position = context.Options.StartPosition == StreamStartPosition.NewEntriesOnly
            ? StreamPosition.NewMessages
            : StreamPosition.Beginning;
        var created = true;
        try
        {
            await context.Database.StreamCreateConsumerGroupAsync(context.StreamKey, context.Group, position,
                createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance (or an earlier run) created it: exactly what we want.
            created = false;
        }
        await RegisterConsumerAsync().ConfigureAwait(false);
        return created;
    }

    /// <summary>After NOGROUP: the group again, logged.</summary>
    public async Task RecreateAsync()
    {
        await EnsureAsync().ConfigureAwait(false);
        Log.GroupRecreated(context.Logger, context.Group, context.Stream, StartPositionText);
    }

    /// <summary>
    /// Makes this consumer a member now rather than at its first read, so that once the subscriber has started, XINFO
    /// CONSUMERS (the scale monitor, the order status, an operator) sees every started instance.
    /// </summary>
    private async Task RegisterConsumerAsync()
    {
        try
        {
            // No typed call for XGROUP CREATECONSUMER in StackExchange.Redis.
            await context.Database.ExecuteAsync("XGROUP", "CREATECONSUMER", context.StreamKey, context.Group,
                context.Consumer).ConfigureAwait(false);
        }
        catch (RedisServerException ex)
        {
            // Redis before 6.2, an ACL without xgroup|createconsumer, a look-alike server: only visibility is lost (the
            // first XREADGROUP creates the consumer anyway), so starting must not fail.
            Log.ConsumerNotRegistered(context.Logger, context.Consumer, context.Group, context.Stream, ex.Message);
        }
    }
}
