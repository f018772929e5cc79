using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Notifications;

/// <summary>
/// Writes the bytes MimeKit writes for <see cref="OrderEmail.Compose"/> (with <see cref="FormatOptions.Default"/>)
/// directly, for the common order whose every header is plain ASCII that needs no quoting, encoding or folding, and
/// declines every other order (MimeKit then renders it).
/// </summary>
/// <remarks>
/// Why: building the <see cref="MimeMessage"/> (header lists, change events, parser options, RFC 2047 checks) was
/// about half of all the memory the app allocated per order over HTTP, and the largest part of the notification's own
/// CPU. Every condition below is one under which MimeKit's output is the text written here; the tests compare both
/// byte for byte over plain and awkward orders, so a MimeKit upgrade that changes its output fails them.
/// </remarks>
internal static partial class PlainOrderEmail
{
    // RFC 5322 recommends header lines up to 78 characters; MimeKit folds longer ones, so those go to MimeKit.
    private const int MaxHeaderLine = 78;

    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] Months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    // Unix newlines throughout (MimeKit's default on Linux and macOS; on Windows it writes CRLF: leave that to it).
    private static readonly bool UnixNewLines =
        FormatOptions.Default.NewLineFormat == NewLineFormat.Unix && Environment.NewLine == "\n";

    /// <summary>Appends the message to <paramref name="output"/> and returns true, or returns false having written
    /// nothing when the order needs MimeKit.</summary>
    public static bool TryWrite(OrderPlaced order, string from, MemoryStream output)
    {
        if (!UnixNewLines || order.PlacedAt.Offset != TimeSpan.Zero || order.PlacedAt.Year < 1000
            || !OrderIdFormat().IsMatch(order.OrderId) || !PlainAddress().IsMatch(from)
            || !PlainAddress().IsMatch(order.CustomerEmail)
            || !(string.IsNullOrEmpty(order.CustomerName) || PlainName().IsMatch(order.CustomerName)))
            return false;

        var text = new StringBuilder(512);
        if (!TryAppendHeader(text, "From", from)
            || !TryAppendHeader(text, "Date", FormatDate(order.PlacedAt))
            || !TryAppendHeader(text, "Subject", OrderEmail.Subject(order))
            || !TryAppendHeader(text, "Message-Id", $"<{OrderEmail.MessageId(order)}>")
            || !TryAppendHeader(text, "To", string.IsNullOrEmpty(order.CustomerName)
                ? order.CustomerEmail
                : $"{order.CustomerName} <{order.CustomerEmail}>"))
            return false;
        text.Append("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n");
        var headerLength = text.Length;
        OrderEmail.AppendBody(text, order);
        // An ASCII body with short lines goes out as it is; anything else is MimeKit's to decide.
        var lineLength = 0;
        for (var i = headerLength; i < text.Length; i++)
        {
            var c = text[i];
            if (c > 0x7e || (c < 0x20 && c != '\n')) return false;
            lineLength = c == '\n' ? 0 : lineLength + 1;
            if (lineLength > 998) return false;
        }

        var message = text.ToString(); // ASCII only (checked above): one byte per character
        var start = (int)output.Length;
        output.SetLength(start + message.Length);
        Encoding.ASCII.GetBytes(message, output.GetBuffer().AsSpan(start, message.Length));
        output.Position = start + message.Length;
        return true;
    }

    private static bool TryAppendHeader(StringBuilder text, string name, string value)
    {
        if (name.Length + 2 + value.Length > MaxHeaderLine)
            return false;
        text.Append(name).Append(": ").Append(value).Append('\n');
        return true;
    }

    /// <summary>RFC 5322 date, as MimeKit writes it for a UTC time: <c>Wed, 02 Dec 2026 16:05:07 +0000</c>.</summary>
    private static string FormatDate(DateTimeOffset date) => string.Create(CultureInfo.InvariantCulture,
        $"{Days[(int)date.DayOfWeek]}, {date.Day:00} {Months[date.Month - 1]} {date.Year:0000} "
        + $"{date.Hour:00}:{date.Minute:00}:{date.Second:00} +0000");

    // The order id as OrderPlacedGuard accepts it (the subject takes its first 8 characters).
    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex OrderIdFormat();

    // A dot-atom address of ASCII letters, digits and the few symbols that need no quoting, e.g. jo.doe+x@example.com.
    [GeneratedRegex(@"^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")]
    private static partial Regex PlainAddress();

    // A display name of ASCII words separated by single spaces: MimeKit writes it neither quoted nor encoded.
    [GeneratedRegex("^[A-Za-z0-9]+( [A-Za-z0-9]+)*$")]
    private static partial Regex PlainName();
}
