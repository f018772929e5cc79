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
        new(OrderIntake.NewOrderId(), "a@b.example", name, [new OrderLine("B", 1, 2.5m)], 2.5m, "EUR", DateTimeOffset.UnixEpoch);

    private string[] Lines() => File.ReadAllText(CsvPath).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task RedeliveredOrder_AddsNoSecondRow()
    {
        using var sink = NewSink();
        var order = Order();

        await sink.AppendAsync(order, CancellationToken.None);
        await sink.AppendAsync(order, CancellationToken.None);

        Assert.Equal([string.Join(',', CsvSpreadsheetSink.Header), ], Lines()[..1]);
        Assert.Equal(2, Lines().Length);
    }

    [Fact]
    public async Task TwoSinksOnOneFile_LikeTwoProcesses_WriteEachOrderOnce()
    {
        using var first = NewSink();
        using var second = NewSink();
        var orders = Enumerable.Range(0, 50).Select(_ => Order("Name, with \"quotes\"")).ToList();

        // Every order delivered to both writers at once, as after a claim by another instance.
        await Task.WhenAll(orders.SelectMany(o => new[] { first.AppendAsync(o, CancellationToken.None), second.AppendAsync(o, CancellationToken.None) }));

        var (ids, _) = Csv.ScanFirstFields(File.ReadAllText(CsvPath));
        Assert.Equal(orders.Select(o => o.OrderId).Order(), ids.Skip(1).Order());
    }

    [Fact]
    public async Task PartialRowLeftByACrashedWriter_IsCutOffAndWrittenWhole()
    {
        var order = Order();
        using (var before = NewSink())
            await before.AppendAsync(Order(), CancellationToken.None);
        await File.AppendAllTextAsync(CsvPath, order.OrderId + ",2024-01-0"); // the crash, mid-row

        using var sink = NewSink();
        await sink.AppendAsync(order, CancellationToken.None);

        Assert.Equal(3, Lines().Length);
        Assert.StartsWith(order.OrderId + ",1970-01-01", Lines()[2]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
