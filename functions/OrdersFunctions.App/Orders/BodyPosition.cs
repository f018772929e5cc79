using System.Text;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// Says where in a request body something is wrong, in words a client can act on ("at byte 42 (line 1)"), instead
/// of the parser's zero-based <c>LineNumber: 0 | BytePositionInLine: 41</c>.
/// </summary>
public static class BodyPosition
{
    /// <summary>"byte N (line L)", both counted from 1, for a zero-based offset into <paramref name="body"/>.</summary>
    public static string Describe(ReadOnlySpan<byte> body, long offset)
    {
        var before = body[..(int)Math.Clamp(offset, 0, body.Length)];
        return $"byte {offset + 1} (line {before.Count((byte)'\n') + 1})";
    }

    /// <summary>The zero-based offset of a parser position (zero-based line and byte within that line).</summary>
    public static long Offset(ReadOnlySpan<byte> body, long lineNumber, long bytePositionInLine)
    {
        var start = 0;
        for (var line = 0L; line < lineNumber; line++)
        {
            var newline = body[start..].IndexOf((byte)'\n');
            if (newline < 0)
                break;
            start += newline + 1;
        }
        return start + bytePositionInLine;
    }

    /// <summary>The zero-based offset of the first byte that is not part of a well-formed UTF-8 character, or null
    /// when all of <paramref name="body"/> is UTF-8.</summary>
    public static int? FirstInvalidUtf8(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
            return null;
        var offset = 0;
        while (offset < body.Length)
        {
            if (Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
                return offset;
            offset += consumed;
        }
        return null;
    }
}
