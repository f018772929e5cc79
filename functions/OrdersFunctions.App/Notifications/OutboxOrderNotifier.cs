using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Notifications;

/// <summary>
/// Writes the confirmation as <c>{orderId}.eml</c> into <see cref="NotificationOptions.OutboxPath"/>: the local stand-in
/// for an SMTP server (open the files with any mail client). One file per order, whatever the redeliveries: the name
/// comes from the order id, the message is written to a temporary file and then moved into place without overwriting,
/// so readers never see a partial file and two instances racing on one order leave exactly one file.
/// </summary>
public sealed partial class OutboxOrderNotifier(IOptions<NotificationOptions> options, ILogger<OutboxOrderNotifier> logger) : IOrderNotifier
{
    private readonly string _outbox = Path.GetFullPath(options.Value.OutboxPath);
    private readonly string _from = options.Value.Smtp.From;

    public async Task NotifyAsync(OrderPlaced order, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_outbox);
        var path = Path.Combine(_outbox, order.OrderId + ".eml");
        if (File.Exists(path))
        {
            LogDuplicate(order.OrderId);
            return;
        }

        var temporary = Path.Combine(_outbox, $".{order.OrderId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await OrderEmail.Compose(order, _from).WriteToAsync(FormatOptions.Default, file, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                File.Move(temporary, path, overwrite: false); // fails if another instance got there first
                LogWritten(order.OrderId);
            }
            catch (IOException) when (File.Exists(path))
            {
                LogDuplicate(order.OrderId);
            }
        }
        finally
        {
            File.Delete(temporary); // no-op once moved
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote the confirmation of order {OrderId} to the outbox")]
    private partial void LogWritten(string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already has its confirmation in the outbox (redelivery); nothing written")]
    private partial void LogDuplicate(string orderId);
}
