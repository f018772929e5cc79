using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.App.Orders;
using OrdersFunctions.App.Spreadsheet;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.App.Functions;

/// <summary>
/// Consumer group <c>%SpreadsheetsGroup%</c>: adds each placed order to the spreadsheet, a batch of orders per
/// invocation. The sink writes a batch's rows under one file lock (group commit) and is idempotent by order id, so when
/// a batch fails and its orders are retried one by one, the rows that did reach the file are not written twice.
/// </summary>
public sealed class AppendOrderToSpreadsheet(ISpreadsheetSink spreadsheet)
{
    [Function(nameof(AppendOrderToSpreadsheet))]
    public Task Run(
        [RedisConsumerGroupTrigger("RedisConnection", "%OrdersStream%",
            ConsumerGroup = "%SpreadsheetsGroup%", IsBatched = true)] OrderPlaced[] orders,
        FunctionContext context)
    {
        // One incomplete order fails the batch before anything is written; its retry alone dead-letters it.
        foreach (var order in orders)
            OrderPlacedGuard.ThrowIfIncomplete(order);
        var appends = new Task[orders.Length];
        for (var i = 0; i < orders.Length; i++)
            appends[i] = spreadsheet.AppendAsync(orders[i], context.CancellationToken);
        return Task.WhenAll(appends);
    }
}
