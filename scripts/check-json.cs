// Checks JSON settings files the way the Functions tooling reads them (comments and trailing commas allowed) and says
// what is wrong in one line with the file and the line, before anything is built: `./run.sh` runs it on
// local.settings.json (`dotnet run scripts/check-json.cs -- FILE…`; a .NET 10 file-based program, compiled once).
// Exit code 0 when every file parses, 1 otherwise.
using System.Text.Json;

var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
var status = 0;
foreach (var path in args)
{
    try
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path), options);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException(
                $"{path}:1: not a JSON object: local.settings.sample.json shows the expected shape.");
    }
    catch (JsonException ex)
    {
        // The parser's reason without the position it appends (" LineNumber: 3 | BytePositionInLine: 2.").
        var reason = ex.Message.Split(" LineNumber:")[0].Trim().TrimEnd('.');
        Console.Error.WriteLine($"{path}:{ex.LineNumber + 1}: not valid JSON ({reason}): fix that line; "
            + "local.settings.sample.json shows the expected shape.");
        status = 1;
    }
    catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(ex is InvalidDataException ? ex.Message : $"{path}: cannot be read ({ex.Message}).");
        status = 1;
    }
}
return status;
