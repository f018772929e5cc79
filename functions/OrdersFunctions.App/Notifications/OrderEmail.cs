using System.Globalization;
using System.Text;
using MimeKit;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Notifications;

/// <summary>Builds the confirmation e-mail of an order. Its Message-ID derives from the order id, so a resent copy is
/// recognisably the same message to mail clients.</summary>
public static class OrderEmail
{
    private static readonly Version MimeVersion = new(1, 0);

    public static MimeMessage Compose(OrderPlaced order, string from)
    {
        // Starts from an empty header list: MimeMessage() spends most of a compose (about 20 us) generating a
        // Message-Id and a Date that we replace anyway. The headers are set in the order MimeMessage() would put them.
        var message = new MimeMessage((IEnumerable<Header>)[]);
        message.From.Add(MailboxAddress.Parse(from));
        message.Date = order.PlacedAt;
        message.Subject = Subject(order);
        message.MessageId = MessageId(order);
        message.To.Add(new MailboxAddress(order.CustomerName ?? "", order.CustomerEmail));
        message.MimeVersion = MimeVersion;

        message.Body = new TextPart("plain") { Text = AppendBody(new StringBuilder(), order).ToString() };
        return message;
    }

    /// <summary>The text of the message's body (shared with <see cref="PlainOrderEmail"/>, so both say the
    /// same).</summary>
    internal static StringBuilder AppendBody(StringBuilder text, OrderPlaced order)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"Hello {order.CustomerName ?? "there"},");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"we received your order {order.OrderId}:");
        foreach (var item in order.Items)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {item.Quantity} x {item.Sku} at {item.UnitPrice:0.00} {order.Currency}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Total: {order.Total:0.00} {order.Currency}");
        return text;
    }

    /// <summary>The subject line's text.</summary>
    internal static string Subject(OrderPlaced order) =>
        $"Your order {order.OrderId[..Math.Min(8, order.OrderId.Length)]} is placed";

    /// <summary>The Message-ID (without angle brackets).</summary>
    internal static string MessageId(OrderPlaced order) => $"{order.OrderId}@orders-functions";

    /// <summary>The message as MIME bytes (what <c>Compose(order, from).WriteTo(FormatOptions.Default, …)</c>
    /// writes), into <paramref name="output"/>: rendered directly when <see cref="PlainOrderEmail"/> can, else through
    /// MimeKit.</summary>
    public static void WriteTo(OrderPlaced order, string from, MemoryStream output, CancellationToken cancellationToken)
    {
        if (!PlainOrderEmail.TryWrite(order, from, output))
            Compose(order, from).WriteTo(FormatOptions.Default, output, cancellationToken);
    }
}
