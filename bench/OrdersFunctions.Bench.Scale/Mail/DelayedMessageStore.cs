using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace OrdersFunctions.Bench.Scale.Mail;

/// <summary>
/// Accepts every message after a fixed delay, as a slow mail relay would: what one instance can send is then its
/// concurrency ÷ the delay, not its CPU. A message counts as delivered when the server accepts it, so a sender killed
/// during the delay has delivered (the real at-least-once window of e-mail).
/// </summary>
public sealed partial class DelayedMessageStore(Mailbox mailbox, TimeSpan delay) : MessageStore
{
    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
        ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        mailbox.Add(OrderIdOf(buffer));
        return SmtpResponse.Ok;
    }

    private static string? OrderIdOf(ReadOnlySequence<byte> buffer)
    {
        // The headers come first; 8 KB holds them.
        var head = buffer.Length > 8192 ? buffer.Slice(0, 8192) : buffer;
        var match = MessageId().Match(Encoding.ASCII.GetString(head));
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^Message-Id:\s*<([^@>\s]+)@orders-functions>", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MessageId();
}
