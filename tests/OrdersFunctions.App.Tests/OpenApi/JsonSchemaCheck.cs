using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrdersFunctions.App.Tests.OpenApi;

/// <summary>
/// Checks a JSON value against an OpenAPI 3.0 schema, for the keywords our document uses: <c>$ref</c>, <c>type</c>,
/// <c>nullable</c>, <c>enum</c>, <c>required</c>, <c>properties</c>, <c>additionalProperties</c>, <c>items</c>,
/// <c>allOf</c>, <c>pattern</c>. Enough to catch an answer that drifted from the document; not a full validator.
/// </summary>
public static class JsonSchemaCheck
{
    /// <summary>Every place where <paramref name="value"/> does not match, as "path: what is wrong".</summary>
    public static List<string> Problems(OpenApiDocument document, JsonElement schema, JsonElement value)
    {
        var problems = new List<string>();
        Check(document, schema, value, "$", problems);
        return problems;
    }

    private static void Check(
        OpenApiDocument document, JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        schema = document.Resolve(schema);
        if (schema.TryGetProperty("allOf", out var allOf))
            foreach (var part in allOf.EnumerateArray())
                Check(document, part, value, path, problems);

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (schema.TryGetProperty("type", out _)
                && !(schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean()))
                problems.Add($"{path}: is null, which the schema does not allow");
            return;
        }
        if (schema.TryGetProperty("type", out var type) && !IsOfType(value, type.GetString()!))
        {
            problems.Add($"{path}: is {value.ValueKind}, the schema says {type.GetString()}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed)
            && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
            problems.Add($"{path}: {value} is not one of {allowed}");
        if (schema.TryGetProperty("pattern", out var pattern) && value.ValueKind == JsonValueKind.String
            && !Regex.IsMatch(value.GetString()!, pattern.GetString()!))
            problems.Add($"{path}: '{value.GetString()}' does not match {pattern.GetString()}");

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    if (!value.TryGetProperty(name, out _))
                        problems.Add($"{path}: lacks required '{name}'");
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
            foreach (var property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object
                    && properties.TryGetProperty(property.Name, out var propertySchema))
                    Check(document, propertySchema, property.Value, $"{path}.{property.Name}", problems);
                else if (additional.ValueKind == JsonValueKind.False)
                    problems.Add($"{path}: has '{property.Name}', which the schema does not allow");
                else if (additional.ValueKind == JsonValueKind.Object)
                    Check(document, additional, property.Value, $"{path}.{property.Name}", problems);
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
                Check(document, items, item, $"{path}[{index++}]", problems);
        }
    }

    private static bool IsOfType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => throw new InvalidOperationException($"Schema type '{type}' is not one JsonSchemaCheck knows: add it."),
    };
}
