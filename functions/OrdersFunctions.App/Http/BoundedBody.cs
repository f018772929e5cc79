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
        var buffer = new byte[Math.Min(limit + 1, (int?)request.ContentLength ?? limit + 1)];
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
                return read == buffer.Length ? buffer : buffer[..read];
            read += n;
        }
    }
}
