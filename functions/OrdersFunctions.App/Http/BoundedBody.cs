using Microsoft.AspNetCore.Http;

namespace OrdersFunctions.App.Http;

/// <summary>Reads a request body up to a limit without ever buffering more than the limit plus one byte.</summary>
public static class BoundedBody
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            return null; // refuse before reading a byte
        // One byte more than announced: the read that finds the end then fits, so a truthful Content-Length never
        // makes us grow the buffer to the limit (that was a 64 KiB allocation per order).
        var buffer = new byte[Math.Min(limit, (int?)request.ContentLength ?? limit) + 1];
        var read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (buffer.Length > limit)
                    return null;
                Array.Resize(ref buffer, limit + 1); // Content-Length lied (or chunked): allow up to the limit
            }
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                return buffer[..read];
            read += n;
        }
    }
}
