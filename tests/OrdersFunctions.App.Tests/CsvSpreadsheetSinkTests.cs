using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrdersFunctions.App.Orders;
using OrdersFunctions.App.Spreadsheet;

namespace OrdersFunctions.App.Tests;

/// <summary>The CSV sink on a real file: one row per order whatever the redeliveries, writers and crashes.</summary>
public sealed class CsvSpreadsheetSinkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("csv-sink-test-").FullName;
    private string CsvPath => Path.Combine(_folder, "orders.csv");

    private CsvSpreadsheetSink NewSink() =>
        new(Options.Create(new SpreadsheetOptions { CsvPath = CsvPath }), NullLogger<CsvSpreadsheetSink>.Instance);

    private static OrderPlaced Order(string? name = null) =>
        new(OrderIntake.NewOrderId(), "a@b.example", name, [new OrderLine("B", 1, 2.5m)], 2.5m, "EUR",
            DateTimeOffset.UnixEpoch);

    private string[] Lines() => File.ReadAllText(CsvPath).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task RedeliveredOrder_AddsNoSecondRow()
    {
        var sink = NewSink();
        var order = Order();

        await sink.AppendAsync(order, CancellationToken.None);
        await sink.AppendAsync(order, CancellationToken.None);

        Assert.Equal([string.Join(',', CsvSpreadsheetSink.Header), ], Lines()[..1]);
        Assert.Equal(2, Lines().Length);
    }

    [Fact]
    public async Task TwoSinksOnOneFile_LikeTwoProcesses_WriteEachOrderOnce()
    {
        var first = NewSink();
        var second = NewSink();
        var orders = Enumerable.Range(0, 50).Select(_ => Order("Name, with \"quotes\"")).ToList();

        // Every order delivered to both writers at once, as after a claim by another instance.
        await Task.WhenAll(orders.SelectMany(o => new[]
        {
            first.AppendAsync(o, CancellationToken.None),
            second.AppendAsync(o, CancellationToken.None),
        }));

        var (ids, _) = Csv.ScanFirstFields(File.ReadAllText(CsvPath));
        Assert.Equal(orders.Select(o => o.OrderId).Order(), ids.Skip(1).Order());
    }

    [Fact]
    public async Task PartialRowLeftByACrashedWriter_IsCutOffAndWrittenWhole()
    {
        var order = Order();
        await NewSink().AppendAsync(Order(), CancellationToken.None);
        await File.AppendAllTextAsync(CsvPath, order.OrderId + ",2024-01-0"); // the crash, mid-row

        var sink = NewSink();
        await sink.AppendAsync(order, CancellationToken.None);

        Assert.Equal(3, Lines().Length);
        Assert.StartsWith(order.OrderId + ",1970-01-01", Lines()[2]);
    }

    [Fact]
    public async Task ManyConcurrentAppendsInOneProcess_WriteEachOrderOnceUnderOneHeader()
    {
        var sink = NewSink();
        var orders = Enumerable.Range(0, 300).Select(_ => Order()).ToList();

        // Group commit: these queue up and are written in batches, each under one lock acquisition.
        await Task.WhenAll(orders.Select(o => Task.Run(() => sink.AppendAsync(o, CancellationToken.None))));

        var (ids, complete) = Csv.ScanFirstFields(File.ReadAllText(CsvPath));
        Assert.Equal(string.Join(',', CsvSpreadsheetSink.Header), Lines()[0]);
        Assert.Equal(orders.Select(o => o.OrderId).Order(), ids.Skip(1).Order());
        Assert.Equal(File.ReadAllText(CsvPath).Length, complete);
    }

    [Fact]
    public async Task SameOrderAppendedTwiceAtOnceInOneProcess_AddsOneRow()
    {
        var sink = NewSink();
        var order = Order();
        var others = Enumerable.Range(0, 20).Select(_ => Order()).ToList();

        await Task.WhenAll(others.Select(o => sink.AppendAsync(o, CancellationToken.None))
            .Append(sink.AppendAsync(order, CancellationToken.None))
            .Append(sink.AppendAsync(order, CancellationToken.None)));

        var (ids, _) = Csv.ScanFirstFields(File.ReadAllText(CsvPath));
        Assert.Single(ids, order.OrderId);
        Assert.Equal(22, ids.Count); // header + 21 orders
    }

    [Fact]
    public async Task TwoSinksOnOneFile_EachWithManyConcurrentAppends_WriteEachOrderOnce()
    {
        var first = NewSink();
        var second = NewSink();
        var orders = Enumerable.Range(0, 200).Select(_ => Order()).ToList();

        // Each order reaches both writers (two processes after a claim), from many threads at once.
        await Task.WhenAll(orders.SelectMany(o => new[]
        {
            Task.Run(() => first.AppendAsync(o, CancellationToken.None)),
            Task.Run(() => second.AppendAsync(o, CancellationToken.None)),
        }));

        var (ids, _) = Csv.ScanFirstFields(File.ReadAllText(CsvPath));
        Assert.Equal(orders.Select(o => o.OrderId).Order(), ids.Skip(1).Order());
    }

    [Fact]
    public async Task AppendWithACancelledToken_FailsAndWritesNothing()
    {
        var sink = NewSink();
        await sink.AppendAsync(Order(), CancellationToken.None);
        var order = Order();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => sink.AppendAsync(order, new CancellationToken(canceled: true)));

        Assert.DoesNotContain(order.OrderId, File.ReadAllText(CsvPath));
    }

    [Fact]
    public async Task FolderDeletedWhileRunning_IsCreatedAgainWithTheNextRow()
    {
        var folder = Path.Combine(_folder, "sheets");
        var path = Path.Combine(folder, "orders.csv");
        var sink = new CsvSpreadsheetSink(
            Options.Create(new SpreadsheetOptions { CsvPath = path }), NullLogger<CsvSpreadsheetSink>.Instance);
        await sink.AppendAsync(Order(), CancellationToken.None);
        Directory.Delete(folder, recursive: true);
        var order = Order();

        await sink.AppendAsync(order, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var lines = File.ReadAllText(path).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', CsvSpreadsheetSink.Header), lines[0]);
        Assert.StartsWith(order.OrderId + ",", lines[1]);
        Assert.Equal(2, lines.Length);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
