using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using OrdersFunctions.App.Notifications;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Tests;

/// <summary>The .eml outbox on a real folder: one whole file per order, whatever the redeliveries.</summary>
public sealed class OutboxOrderNotifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("outbox-test-").FullName;
    private string Outbox => Path.Combine(_folder, "outbox");

    private OutboxOrderNotifier NewNotifier() =>
        new(Options.Create(new NotificationOptions { OutboxPath = Outbox }), NullLogger<OutboxOrderNotifier>.Instance);

    private static OrderPlaced Order() =>
        new(OrderIntake.NewOrderId(), "a@b.example", "Zoë", [new OrderLine("B", 1, 2.5m)], 2.5m, "EUR",
            DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Order_IsWrittenAsOneEmlNamedAfterIt_WithNoTemporaryFileLeft()
    {
        var order = Order();

        await NewNotifier().NotifyAsync(order, CancellationToken.None);

        Assert.Equal([order.OrderId + ".eml"], Directory.GetFiles(Outbox).Select(Path.GetFileName));
        var message = await MimeMessage.LoadAsync(Path.Combine(Outbox, order.OrderId + ".eml"));
        Assert.Equal($"{order.OrderId}@orders-functions", message.MessageId);
        Assert.Equal("a@b.example", message.To.Mailboxes.Single().Address);
        Assert.Equal("1.0", message.MimeVersion?.ToString());
    }

    [Fact]
    public async Task RedeliveredOrder_LeavesTheFirstFileAndWritesNoOther()
    {
        var notifier = NewNotifier();
        var order = Order();
        await notifier.NotifyAsync(order, CancellationToken.None);
        var path = Path.Combine(Outbox, order.OrderId + ".eml");
        File.WriteAllText(path, "first"); // so a second write would show

        await notifier.NotifyAsync(order, CancellationToken.None);

        Assert.Equal("first", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Outbox));
    }

    [Fact]
    public async Task TwoNotifiersRacingOnTheSameOrders_LeaveExactlyOneFileEach()
    {
        var first = NewNotifier();
        var second = NewNotifier();
        var orders = Enumerable.Range(0, 50).Select(_ => Order()).ToList();

        await Task.WhenAll(orders.SelectMany(o => new[]
        {
            Task.Run(() => first.NotifyAsync(o, CancellationToken.None)),
            Task.Run(() => second.NotifyAsync(o, CancellationToken.None)),
        }));

        Assert.Equal(orders.Select(o => o.OrderId + ".eml").Order(),
            Directory.GetFiles(Outbox).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task OutboxFolderDeletedWhileRunning_IsCreatedAgain()
    {
        var notifier = NewNotifier();
        await notifier.NotifyAsync(Order(), CancellationToken.None);
        Directory.Delete(Outbox, recursive: true);
        var order = Order();

        await notifier.NotifyAsync(order, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(Outbox, order.OrderId + ".eml")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
