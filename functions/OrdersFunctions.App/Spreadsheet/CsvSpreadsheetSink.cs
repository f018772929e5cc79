using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Spreadsheet;

/// <summary>
/// Appends one CSV row per order to <see cref="SpreadsheetOptions.CsvPath"/>, with a header row, exactly once per order
/// even with redeliveries and several processes writing.
/// </summary>
/// <remarks>
/// How "exactly one row" holds: every append runs under a cross-process lock file (<c>{csv}.lock</c>). Under the lock
/// the sink first reads what other writers appended since its last look (it remembers the order ids in the file and
/// how far it has read, so each byte is read once per process), skips the order if its id is already there, else
/// writes the row in one write and remembers the new end. The file itself is the record of what was done, so there is
/// no second store to get out of step with it:
/// <list type="bullet">
/// <item>crash after the write, before the ack: the redelivery finds the id and writes nothing;</item>
/// <item>crash mid-write: the file ends in a partial row without CRLF; the next writer, under the lock, cuts it off
/// (nobody else can be writing) and the redelivery writes the whole row;</item>
/// <item>the file deleted or truncated by hand: the sink notices the shorter file and reads it again from the start.</item>
/// </list>
/// A "processed" marker in Redis set after the write would leave a window (write done, marker not set) that the file
/// check does not have. Durability is the OS page cache's (no fsync per row): a process crash loses nothing, a power
/// loss may lose the last rows, which the engine cannot redeliver because they were acknowledged.
/// </remarks>
public sealed partial class CsvSpreadsheetSink : ISpreadsheetSink, IDisposable
{
    public static readonly string[] Header =
        ["order_id", "placed_at", "customer_email", "customer_name", "currency", "total", "item_count", "items"];

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly string _path;
    private readonly string _lockPath;
    private readonly ILogger<CsvSpreadsheetSink> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1); // one writer per process at a time; the file lock does the rest
    private readonly HashSet<string> _orderIdsInFile = new(StringComparer.Ordinal);
    private long _readUpTo;

    public CsvSpreadsheetSink(IOptions<SpreadsheetOptions> options, ILogger<CsvSpreadsheetSink> logger)
    {
        _path = Path.GetFullPath(options.Value.CsvPath);
        _lockPath = _path + ".lock";
        _logger = logger;
    }

    public async Task AppendAsync(OrderPlaced order, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await CrossProcessFileLock.AcquireAsync(_lockPath, cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, 4096, useAsync: true);
            await CatchUpAsync(file, cancellationToken).ConfigureAwait(false);
            if (_orderIdsInFile.Contains(order.OrderId))
            {
                LogDuplicate(order.OrderId);
                return;
            }

            var text = (file.Length == 0 ? Csv.Row(Header) : "") + Csv.Row(ToFields(order));
            file.Seek(0, SeekOrigin.End);
            // Not cancellable once started: a half-written row is exactly what the lock protects against.
            await file.WriteAsync(Utf8.GetBytes(text), CancellationToken.None).ConfigureAwait(false);
            await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _readUpTo = file.Length;
            _orderIdsInFile.Add(order.OrderId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads rows other writers appended since our last look; cuts off a partial last row.</summary>
    private async Task CatchUpAsync(FileStream file, CancellationToken cancellationToken)
    {
        if (file.Length < _readUpTo)
        {
            LogFileShrank(_path);
            _orderIdsInFile.Clear();
            _readUpTo = 0;
        }
        if (file.Length == _readUpTo)
            return;

        var bytes = new byte[file.Length - _readUpTo];
        file.Seek(_readUpTo, SeekOrigin.Begin);
        await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        var (firstFields, completeChars) = Csv.ScanFirstFields(Utf8.GetString(bytes));
        var completeBytes = Utf8.GetByteCount(Utf8.GetString(bytes).AsSpan(0, completeChars));
        var skipHeader = _readUpTo == 0;
        foreach (var id in skipHeader ? firstFields.Skip(1) : firstFields)
            _orderIdsInFile.Add(id);
        _readUpTo += completeBytes;
        if (_readUpTo < file.Length)
        {
            LogPartialRowCut(_path, file.Length - _readUpTo);
            file.SetLength(_readUpTo);
        }
    }

    private static IEnumerable<string> ToFields(OrderPlaced order) =>
    [
        order.OrderId,
        order.PlacedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        order.CustomerEmail,
        order.CustomerName ?? "",
        order.Currency,
        order.Total.ToString("0.00", CultureInfo.InvariantCulture),
        order.Items.Sum(i => i.Quantity).ToString(CultureInfo.InvariantCulture),
        string.Join("; ", order.Items.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Sku} x{i.Quantity} @ {i.UnitPrice:0.00}"))),
    ];

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already has its spreadsheet row (redelivery); nothing written")]
    private partial void LogDuplicate(string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} is shorter than when it was last read (edited or replaced by hand?); reading it again from the start")]
    private partial void LogFileShrank(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} ended in a partial row of {Bytes} bytes (a writer crashed mid-row); cut it off, the order will be written whole on redelivery")]
    private partial void LogPartialRowCut(string path, long bytes);
}
