using System.Text.Json;

namespace OrdersFunctions.App.Tests.OpenApi;

/// <summary>The repository's <c>docs/openapi.json</c> (copied next to the tests), read with System.Text.Json.</summary>
public sealed class OpenApiDocument
{
    private static readonly string[] Methods = ["get", "head", "post", "put", "patch", "delete", "options", "trace"];

    private OpenApiDocument(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static OpenApiDocument Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "openapi.json");
        return new OpenApiDocument(JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone());
    }

    public IEnumerable<OpenApiOperation> Operations()
    {
        foreach (var path in Root.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p)
                ? p.EnumerateArray().Select(Resolve).ToList()
                : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                var own = method.Value.TryGetProperty("parameters", out var o)
                    ? o.EnumerateArray().Select(Resolve)
                    : [];
                yield return new OpenApiOperation(
                    method.Name.ToUpperInvariant(), path.Name, method.Value, [.. shared, .. own]);
            }
        }
    }

    public OpenApiOperation Operation(string operationId) =>
        Operations().Single(o => o.OperationId == operationId);

    /// <summary>Follows a local <c>$ref</c> (<c>#/components/…</c>), repeatedly; anything else is returned
    /// as is.</summary>
    public JsonElement Resolve(JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference))
        {
            var target = Root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
                target = target.GetProperty(part.Replace("~1", "/").Replace("~0", "~"));
            element = target;
        }
        return element;
    }
}

/// <summary>One (method, path) of the document.</summary>
public sealed record OpenApiOperation(
    string Method, string Path, JsonElement Definition, IReadOnlyList<JsonElement> Parameters)
{
    public string? OperationId => Definition.TryGetProperty("operationId", out var id) ? id.GetString() : null;

    /// <summary>An empty <c>security</c> list on the operation: no key needed.</summary>
    public bool IsAnonymous =>
        Definition.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;

    public IEnumerable<string> Statuses => Definition.GetProperty("responses").EnumerateObject().Select(r => r.Name);

    public override string ToString() => $"{Method} {Path}";
}
