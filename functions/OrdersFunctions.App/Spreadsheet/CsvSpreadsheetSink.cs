using System.Collections.Concurrent;
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
/// <item>the file deleted or truncated by hand: the sink notices the shorter file and reads it again from the
/// start.</item>
/// </list>
/// A "processed" marker in Redis set after the write would leave a window (write done, marker not set) that the file
/// check does not have. Durability is the OS page cache's (no fsync per row): a process crash loses nothing, a power
/// loss may lose the last rows, which the engine cannot redeliver because they were acknowledged.
/// <para>
/// Group commit: concurrent appends in one process queue their rows, and one writer at a time takes the queue as a
/// batch and handles it under a single lock acquisition, checking every row of the batch against the ids in the file
/// (and against the batch's earlier rows) and writing the new ones in one write. Each append completes only after its
/// batch was written (or found its row already there), so the engine still acks only what is in the file. If the batch
/// fails, every append in it fails and is redelivered; rows that did reach the file are then found by id.
/// The file work is synchronous on purpose: small local reads and writes, for which .NET's asynchronous file I/O on
/// Linux (thread-pool emulation) costs more than the I/O.
/// </para>
/// </remarks>
public sealed partial class CsvSpreadsheetSink : ISpreadsheetSink
{
    public static readonly string[] Header =
        ["order_id", "placed_at", "customer_email", "customer_name", "currency", "total", "item_count", "items"];

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly string _path;
    private readonly string _lockPath;
    private readonly ILogger<CsvSpreadsheetSink> _logger;
    private readonly ConcurrentQueue<PendingRow> _queue = new();
    private readonly SemaphoreSlim _writer = new(1, 1); // one batch writer per process; the file lock does the rest
    // Only touched by the batch writer (under _writer), so no further locking.
    private readonly HashSet<string> _orderIdsInFile = new(StringComparer.Ordinal);
    private long _readUpTo;
    private bool _folderExists;

    public CsvSpreadsheetSink(IOptions<SpreadsheetOptions> options, ILogger<CsvSpreadsheetSink> logger)
    {
        _path = Path.GetFullPath(options.Value.CsvPath);
        _lockPath = _path + ".lock";
        _logger = logger;
    }

    public Task AppendAsync(OrderPlaced order, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled(cancellationToken);
        // Formatted here, outside the lock, by the caller's thread.
        var row = new PendingRow(order.OrderId, Csv.Row(ToFields(order)), cancellationToken);
        _queue.Enqueue(row);
        StartWriterIfIdle();
        return row.Completion.Task;
    }

    /// <summary>Starts a writer unless one runs; a running writer takes every queued row before it stops.</summary>
    private void StartWriterIfIdle()
    {
        if (_writer.Wait(0))
            _ = Task.Run(WriteQueuedRowsAsync);
    }

    private async Task WriteQueuedRowsAsync()
    {
        var batch = new List<PendingRow>();
        try
        {
            while (true)
            {
                batch.Clear();
                while (_queue.TryDequeue(out var row))
                {
                    if (row.CancellationToken.IsCancellationRequested)
                        row.Completion.TrySetCanceled(row.CancellationToken);
                    else
                        batch.Add(row);
                }
                if (batch.Count == 0)
                    break;
                try
                {
                    await WriteBatchAsync(batch).ConfigureAwait(false);
                    foreach (var row in batch)
                        row.Completion.TrySetResult();
                }
                catch (Exception ex)
                {
                    // Nothing acks: every order of the batch is redelivered and found by id if its row got written.
                    foreach (var row in batch)
                        row.Completion.TrySetException(ex);
                }
            }
        }
        finally
        {
            _writer.Release();
        }
        // A row queued after our last look but before the release found the writer busy: start one for it.
        if (!_queue.IsEmpty)
            StartWriterIfIdle();
    }

    private async Task WriteBatchAsync(List<PendingRow> batch)
    {
        // Waiting for another process's lock ends when an append of the batch is cancelled (shutdown): the whole
        // batch then fails and is redelivered, rather than hang on a stuck lock holder.
        using var cancellation = CancellationOf(batch);
        using var fileLock = await AcquireLockAsync(cancellation.Token).ConfigureAwait(false);
        using var file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite,
            bufferSize: 0);
        CatchUp(file);

        var text = new StringBuilder();
        var written = new HashSet<string>(StringComparer.Ordinal);
        if (file.Length == 0)
            text.Append(Csv.Row(Header));
        foreach (var row in batch)
        {
            // Checked against the file and against the batch's earlier rows (one order delivered twice at once).
            if (_orderIdsInFile.Contains(row.OrderId) || written.Contains(row.OrderId))
            {
                LogDuplicate(row.OrderId);
                continue;
            }
            text.Append(row.Text);
            written.Add(row.OrderId);
        }
        if (written.Count == 0)
            return;

        file.Seek(0, SeekOrigin.End);
        // One write for the whole batch; a crash mid-write leaves a partial last row that the next writer cuts off.
        file.Write(Utf8.GetBytes(text.ToString()));
        _readUpTo = file.Length;
        foreach (var id in written)
        {
            _orderIdsInFile.Add(id);
            LogAppended(id, _path);
        }
    }

    /// <summary>The cross-process lock. The folder is created on the first batch, and again if it was deleted while we
    /// run (then the lock file's open fails), not on every batch.</summary>
    private async Task<CrossProcessFileLock> AcquireLockAsync(CancellationToken cancellationToken)
    {
        if (!_folderExists)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            _folderExists = true;
        }
        try
        {
            return await CrossProcessFileLock.AcquireAsync(_lockPath, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            return await CrossProcessFileLock.AcquireAsync(_lockPath, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A token cancelled when any append of the batch is (most share the engine's one token).</summary>
    private static CancellationTokenSource CancellationOf(List<PendingRow> batch)
    {
        var tokens = batch.Select(r => r.CancellationToken).Where(t => t.CanBeCanceled).Distinct().ToArray();
        return tokens.Length == 0
            ? new CancellationTokenSource()
            : CancellationTokenSource.CreateLinkedTokenSource(tokens);
    }

    /// <summary>Reads rows other writers appended since our last look; cuts off a partial last row.</summary>
    private void CatchUp(FileStream file)
    {
        var length = file.Length;
        if (length < _readUpTo)
        {
            LogFileShrank(_path);
            _orderIdsInFile.Clear();
            _readUpTo = 0;
        }
        if (length == _readUpTo)
            return;

        var bytes = new byte[length - _readUpTo];
        file.Seek(_readUpTo, SeekOrigin.Begin);
        file.ReadExactly(bytes);
        var text = Utf8.GetString(bytes);
        var (firstFields, completeChars) = Csv.ScanFirstFields(text);
        var completeBytes = Utf8.GetByteCount(text.AsSpan(0, completeChars));
        var skipHeader = _readUpTo == 0;
        foreach (var id in skipHeader ? firstFields.Skip(1) : firstFields)
            _orderIdsInFile.Add(id);
        _readUpTo += completeBytes;
        if (_readUpTo < length)
        {
            LogPartialRowCut(_path, length - _readUpTo);
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
        string.Join("; ", order.Items.Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{i.Sku} x{i.Quantity} @ {i.UnitPrice:0.00}"))),
    ];

    private sealed record PendingRow(string OrderId, string Text, CancellationToken CancellationToken)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Appended the spreadsheet row of order {OrderId} to {Path}")]
    private partial void LogAppended(string orderId, string path);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} already has its spreadsheet row (redelivery); nothing written")]
    private partial void LogDuplicate(string orderId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Path} is shorter than when it was last read (edited or replaced by hand?); "
            + "reading it again from the start")]
    private partial void LogFileShrank(string path);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Path} ended in a partial row of {Bytes} bytes (a writer crashed mid-row); "
            + "cut it off, the order will be written whole on redelivery")]
    private partial void LogPartialRowCut(string path, long bytes);
}
