using System.Globalization;
using System.Text;
using MimeKit;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Notifications;

/// <summary>Builds the confirmation e-mail of an order. Its Message-ID derives from the order id, so a resent copy is
/// recognisably the same message to mail clients.</summary>
public static class OrderEmail
{
    public static MimeMessage Compose(OrderPlaced order, string from)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(order.CustomerName ?? "", order.CustomerEmail));
        message.Subject = $"Your order {order.OrderId[..Math.Min(8, order.OrderId.Length)]} is placed";
        message.MessageId = $"{order.OrderId}@orders-functions";
        message.Date = order.PlacedAt;

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Hello {order.CustomerName ?? "there"},");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"we received your order {order.OrderId}:");
        foreach (var item in order.Items)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {item.Quantity} x {item.Sku} at {item.UnitPrice:0.00} {order.Currency}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Total: {order.Total:0.00} {order.Currency}");
        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }
}
