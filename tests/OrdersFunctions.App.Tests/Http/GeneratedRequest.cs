using System.Text;

namespace OrdersFunctions.App.Tests.Http;

/// <summary>One generated <c>POST /api/orders</c>: body bytes, Content-Type (null = no header), other headers, and
/// whether the body goes chunked (no Content-Length).</summary>
public sealed record GeneratedRequest(
    byte[] Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers, bool Chunked)
{
    public HttpRequestMessage ToMessage()
    {
        HttpContent content = Chunked ? new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
        if (Chunked)
            content.Headers.ContentLength = null;
        if (ContentType is not null)
            content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = content };
        foreach (var (name, value) in Headers)
            message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    /// <summary>What a failure report shows: the body as text with every non-ASCII or control byte as \xNN.</summary>
    public override string ToString()
    {
        var body = new StringBuilder();
        foreach (var b in Body.Take(600))
            body.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        if (Body.Length > 600)
            body.Append($"… ({Body.Length} bytes)");
        var headers = string.Join(", ", Headers.Select(h => $"{h.Name}: {h.Value}"));
        return $"Content-Type: {ContentType ?? "(none)"}; {headers}; chunked: {Chunked}; body: {body}";
    }
}
