using System.Reflection;
using System.Text.Json;
using OrdersFunctions.RedisStreams.WebJobs;

namespace OrdersFunctions.Bench.Scale.Control;

/// <summary>
/// The app's stream-triggered functions as the Functions host sees them: read from the built functions.metadata, each
/// <c>redisConsumerGroupTrigger</c> binding turned into the host-side <see cref="RedisConsumerGroupTriggerAttribute"/>
/// the way the host does it (the constructor from <c>connection</c> and <c>key</c>, then every other property the
/// binding names).
/// </summary>
public static class StreamFunctionMetadata
{
    public static IReadOnlyList<(string Name, RedisConsumerGroupTriggerAttribute Attribute)> Read(
        string functionsMetadataPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(functionsMetadataPath));
        var functions = new List<(string, RedisConsumerGroupTriggerAttribute)>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (!binding.TryGetProperty("type", out var type)
                    || !type.GetString()!.Equals("redisConsumerGroupTrigger", StringComparison.OrdinalIgnoreCase))
                    continue;
                functions.Add((function.GetProperty("name").GetString()!, AttributeOf(binding)));
            }
        }
        return functions;
    }

    private static RedisConsumerGroupTriggerAttribute AttributeOf(JsonElement binding)
    {
        var attribute = new RedisConsumerGroupTriggerAttribute(
            binding.GetProperty("connection").GetString()!, binding.GetProperty("key").GetString()!);
        foreach (var property in binding.EnumerateObject())
        {
            var target = typeof(RedisConsumerGroupTriggerAttribute).GetProperty(property.Name,
                BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (target is not { CanWrite: true } || property.Name is "connection" or "key")
                continue;
            var json = property.Value;
            object? value = target.PropertyType switch
            {
                var t when t == typeof(string) => json.GetString(),
                var t when t == typeof(int) && json.ValueKind == JsonValueKind.Number => json.GetInt32(),
                var t when t == typeof(bool) && json.ValueKind is JsonValueKind.True or JsonValueKind.False =>
                    json.GetBoolean(),
                _ => null,
            };
            if (value is not null)
                target.SetValue(attribute, value);
        }
        return attribute;
    }
}
