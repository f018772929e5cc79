using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Spreadsheet;

/// <summary>Adds an order to the spreadsheet. Idempotent by order id: a redelivered order adds no second row.</summary>
public interface ISpreadsheetSink
{
    Task AppendAsync(OrderPlaced order, CancellationToken cancellationToken);
}
