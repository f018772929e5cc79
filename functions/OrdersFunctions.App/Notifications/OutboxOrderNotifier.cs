using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Notifications;

/// <summary>
/// Writes the confirmation as <c>{orderId}.eml</c> into <see cref="NotificationOptions.OutboxPath"/>: the local
/// stand-in for an SMTP server (open the files with any mail client). One file per order, whatever the redeliveries:
/// the name comes from the order id, the message is written to a temporary file and then moved into place without
/// overwriting, so readers never see a partial file and two instances racing on one order leave exactly one file.
/// </summary>
/// <remarks>
/// The file work is synchronous on purpose: a message is a few hundred bytes on a local disk, and .NET's asynchronous
/// file I/O on Linux is thread-pool emulation that costs more than the write itself. The message is rendered in memory
/// and written with one write call.
/// <para>
/// Per order the file system sees one create, one write, one close and the move (which itself checks that the target
/// is free). There is no separate existence check before rendering: it cost a path lookup on every order to save
/// work only on redeliveries, which are rare and which the move refuses anyway. Temporary names are this instance's
/// random token plus a counter, not a new GUID per order (each one a call into the OS's random source).
/// </para>
/// </remarks>
public sealed partial class OutboxOrderNotifier(
    IOptions<NotificationOptions> options, ILogger<OutboxOrderNotifier> logger) : IOrderNotifier
{
    private readonly string _outbox = Path.GetFullPath(options.Value.OutboxPath);
    private readonly string _from = options.Value.Smtp.From;
    private volatile bool _outboxExists;
    // Unique across instances (and processes sharing the outbox); the counter makes each name unique within this one.
    private readonly string _temporaryPrefix = "." + Guid.NewGuid().ToString("N")[..12] + ".";
    private long _temporaryCount;

    public Task NotifyAsync(OrderPlaced order, CancellationToken cancellationToken)
    {
        try
        {
            Notify(order, cancellationToken);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex); // failures travel in the task, as from an async method
        }
    }

    private void Notify(OrderPlaced order, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = Path.Combine(_outbox, order.OrderId + ".eml");
        using var rendered = new MemoryStream(1024);
        OrderEmail.WriteTo(order, _from, rendered, cancellationToken);
        var temporary = Path.Combine(_outbox, string.Create(CultureInfo.InvariantCulture,
            $"{_temporaryPrefix}{order.OrderId}.{Interlocked.Increment(ref _temporaryCount)}.tmp"));
        WriteNewFile(temporary, rendered.GetBuffer().AsSpan(0, (int)rendered.Length));
        try
        {
            File.Move(temporary, path, overwrite: false); // fails if another instance got there first
            LogWritten(order.OrderId);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there: a redelivery, or another instance got there first.
            File.Delete(temporary);
            LogDuplicate(order.OrderId);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Creates <paramref name="path"/> (it must not exist) holding <paramref name="content"/>. The outbox
    /// folder is created on first use, and again if it was deleted while we run.</summary>
    private void WriteNewFile(string path, ReadOnlySpan<byte> content)
    {
        if (!_outboxExists)
        {
            Directory.CreateDirectory(_outbox);
            _outboxExists = true;
        }
        SafeFileHandle file;
        try
        {
            // FileShare.Read: the name is ours alone, and a shared mode spares the flock that FileShare.None costs.
            file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(_outbox);
            file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        try
        {
            using (file)
                RandomAccess.Write(file, content, fileOffset: 0);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote the confirmation of order {OrderId} to the outbox")]
    private partial void LogWritten(string orderId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} already has its confirmation in the outbox (redelivery); nothing written")]
    private partial void LogDuplicate(string orderId);
}
