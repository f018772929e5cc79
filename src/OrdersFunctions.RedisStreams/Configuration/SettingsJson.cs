using System.Text.Json;

namespace OrdersFunctions.RedisStreams.Configuration;

/// <summary>
/// Reads the JSON settings files (<c>local.settings.json</c>, <c>host.json</c>) as the Functions tooling does
/// (comments and trailing commas allowed), and turns a syntax error into one line with the file and the line:
/// <c>local.settings.json:4: not valid JSON ('"' is invalid after a value …): fix that line.</c>
/// </summary>
public static class SettingsJson
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <exception cref="InvalidDataException">Not valid JSON (file, line, reason and the fix in one line).</exception>
    public static JsonDocument Parse(string path, string hint)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), Options);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } zeroBased ? $":{zeroBased + 1}" : "";
            throw new InvalidDataException($"{path}{line}: not valid JSON ({Reason(ex)}): fix that line; {hint}", ex);
        }
    }

    /// <summary>The parser's reason without the position it appends (" LineNumber: 3 | BytePositionInLine: 2.").
    /// </summary>
    private static string Reason(JsonException exception)
    {
        var message = exception.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position > 0 ? message[..position] : message).Trim().TrimEnd('.');
    }
}
