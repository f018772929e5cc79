using System.Globalization;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>A dead-letter entry's bookkeeping fields (see <see cref="DeadLetterFields"/>).</summary>
public sealed record DeadLetterRecord(string DeadLetterId, string OriginalId, string Stream, string Group, string Consumer,
    int DeliveryCount, string ErrorType, string ErrorMessage, DateTimeOffset? FailedAt)
{
    /// <summary>The failure as clients and operators may see it: <see cref="ErrorType"/> and <see cref="ErrorMessage"/>
    /// cleaned by <see cref="FailureDescription"/>. Records written before the subscriber cleaned failures (or by other
    /// writers) may hold the Functions host's RpcException text with stack frames and paths; the stored fields stay as
    /// written (filters match them).</summary>
    public FailureDescription Failure => FailureDescription.Of(ErrorType, ErrorMessage);

    internal static DeadLetterRecord? TryRead(RawEntry entry)
    {
        if (entry.Fields is null)
            return null;
        string? originalId = null, stream = null, group = null, consumer = null, errorType = null, errorMessage = null, failedAt = null;
        var deliveries = 0;
        var fields = entry.Fields;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case DeadLetterFields.OriginalId: originalId = (string?)fields[i + 1]; break;
                case DeadLetterFields.Stream: stream = (string?)fields[i + 1]; break;
                case DeadLetterFields.Group: group = (string?)fields[i + 1]; break;
                case DeadLetterFields.Consumer: consumer = (string?)fields[i + 1]; break;
                case DeadLetterFields.DeliveryCount: int.TryParse((string?)fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out deliveries); break;
                case DeadLetterFields.ErrorType: errorType = (string?)fields[i + 1]; break;
                case DeadLetterFields.ErrorMessage: errorMessage = (string?)fields[i + 1]; break;
                case DeadLetterFields.FailedAt: failedAt = (string?)fields[i + 1]; break;
            }
        }
        if (originalId is null || group is null)
            return null;
        return new DeadLetterRecord(entry.Id, originalId, stream ?? "", group, consumer ?? "", deliveries, errorType ?? "", errorMessage ?? "",
            DateTimeOffset.TryParse(failedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null);
    }
}
