using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrdersFunctions.App.Orders;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Notifications;

/// <summary>
/// Sends the confirmation over SMTP (MailKit). SMTP cannot deduplicate, so a Redis marker
/// (<see cref="OrderKeys.Notified"/>) is set after a successful send and checked before sending: a redelivery after a
/// completed send sends nothing. The remaining window (sent, then crashed before the marker was set) may send a
/// second copy, with the same Message-ID so mail clients can fold it; at-least-once is the honest promise of e-mail.
/// </summary>
public sealed partial class SmtpOrderNotifier(
    IOptions<NotificationOptions> options,
    IOptions<OrdersOptions> orders,
    IRedisConnectionFactory connections,
    ILogger<SmtpOrderNotifier> logger) : IOrderNotifier
{
    private static readonly TimeSpan MarkerTtl = TimeSpan.FromDays(30);
    private readonly SmtpOptions _smtp = options.Value.Smtp;

    public async Task NotifyAsync(OrderPlaced order, CancellationToken cancellationToken)
    {
        var database = (await connections.GetSharedAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var marker = OrderKeys.Notified(orders.Value.Stream, order.OrderId);
        if (await database.KeyExistsAsync(marker).ConfigureAwait(false))
        {
            LogDuplicate(order.OrderId);
            return;
        }

        using var client = new SmtpClient();
        var security = _smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
        await client.ConnectAsync(_smtp.Host!, _smtp.Port, security, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(_smtp.UserName))
            await client.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? "", cancellationToken)
                .ConfigureAwait(false);
        await client.SendAsync(OrderEmail.Compose(order, _smtp.From), cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);

        await database.StringSetAsync(marker, "sent", MarkerTtl).ConfigureAwait(false);
        LogSent(order.OrderId, _smtp.Host!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent the confirmation of order {OrderId} via {SmtpHost}")]
    private partial void LogSent(string orderId, string smtpHost);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} was already notified (redelivery); nothing sent")]
    private partial void LogDuplicate(string orderId);
}
