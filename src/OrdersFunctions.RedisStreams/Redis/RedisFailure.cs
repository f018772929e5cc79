namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>Short descriptions of Redis failures for log lines and answers.</summary>
public static class RedisFailure
{
    private const int MaxSummaryLength = 220;

    /// <summary>
    /// The gist of a failure in one short line, e.g. <c>RedisConnectionException: No connection is active/available to
    /// service this operation: XADD orders-placed</c>. StackExchange.Redis packs a diagnostic of a dozen fields (and
    /// sometimes several lines) into its messages; that belongs in a Debug line with the exception,
    /// not in every warning.
    /// </summary>
    public static string Summary(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        if (end >= 0)
            message = message[..end];
        // SE.Redis continues after "; " (connection messages) or ", command=" / " (outbound=" (timeouts) with its
        // diagnostic fields.
        foreach (var marker in new[] { "; ", " (outbound=", ", command=", ", next: ", "/Interactive" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
        }
        if (message.Length > MaxSummaryLength)
            message = string.Concat(message.AsSpan(0, MaxSummaryLength), "…");
        return $"{exception.GetType().Name}: {message.TrimEnd()}";
    }
}
