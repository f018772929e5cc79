using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Orders;
using OrdersFunctions.App.Spreadsheet;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.App.Functions;

/// <summary>Consumer group <c>%SpreadsheetsGroup%</c>: adds each placed order to the spreadsheet.</summary>
public sealed class AppendOrderToSpreadsheet(ISpreadsheetSink spreadsheet)
{
    [Function(nameof(AppendOrderToSpreadsheet))]
    public Task Run(
        [RedisStreamTrigger("RedisConnection", "%OrdersStream%", ConsumerGroup = "%SpreadsheetsGroup%")] OrderPlaced order,
        FunctionContext context)
    {
        OrderPlacedGuard.ThrowIfIncomplete(order);
        return spreadsheet.AppendAsync(order, context.CancellationToken);
    }
}
