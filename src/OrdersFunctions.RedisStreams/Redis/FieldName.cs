using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Redis;

/// <summary>
/// The bytes of a field name as Redis returned it, for comparing with a known name by
/// <see cref="MemoryExtensions.SequenceEqual{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>. Not <c>RedisValue ==</c>: that
/// first tries to read both sides as integers and then as doubles (<c>RedisValue.Simplify</c>), and with a dozen name
/// comparisons per delivered entry those failed number parses were about a tenth of the consume path's CPU (profile in
/// docs/bench.md, "Trigger path: where the time goes").
/// </summary>
internal static class FieldName
{
    /// <summary>The name's bytes, without a copy for a name read from the wire.</summary>
    public static ReadOnlySpan<byte> Of(RedisResult field) => ((ReadOnlyMemory<byte>)(RedisValue)field).Span;
}
