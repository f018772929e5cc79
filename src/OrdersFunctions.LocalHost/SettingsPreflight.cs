using OrdersFunctions.RedisStreams.Configuration;
namespace OrdersFunctions.LocalHost;

/// <summary>
/// Checks, before anything starts, the app settings the enabled stream functions need: the Redis connection setting
/// each trigger names, and every <c>%Setting%</c> its Key and ConsumerGroup refer to. Reports each missing setting
/// once, on its own line, with the functions that need it; the Functions host instead disables those functions at
/// indexing and goes on, which the app's own start-up check then refuses.
/// </summary>
internal static class SettingsPreflight
{
    /// <exception cref="InvalidOperationException">One line per missing setting.</exception>
    public static void ThrowIfMissing(IEnumerable<FunctionDescriptor> streamFunctions, IConfiguration configuration)
    {
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in streamFunctions)
        {
            var trigger = function.StreamTrigger!;
            var connection = trigger.Connection;
            if (string.IsNullOrWhiteSpace(configuration[LocalSettings.ToConfigurationKey(connection)])
                && string.IsNullOrWhiteSpace(configuration.GetConnectionString(connection)))
                Add(missing, connection, function.Name);
            foreach (var name in SettingReferences.Unset(trigger.Key, configuration)
                .Concat(SettingReferences.Unset(trigger.ConsumerGroup, configuration)))
                Add(missing, name, function.Name);
        }
        if (missing.Count == 0)
            return;
        throw new InvalidOperationException(string.Join(Environment.NewLine, missing.Select(m =>
            $"App setting '{m.Key}' is not set (needed by {string.Join(", ", m.Value)}): " +
            "add it to local.settings.json Values or the environment.")));
    }

    private static void Add(SortedDictionary<string, SortedSet<string>> missing, string setting, string function)
    {
        if (!missing.TryGetValue(setting, out var functions))
            missing[setting] = functions = new SortedSet<string>(StringComparer.Ordinal);
        functions.Add(function);
    }
}
