using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>
/// Reads facts out of a compiled ARM template (the JSON `bicep build` writes), walking into the nested templates that
/// Bicep modules compile to. Pure functions over JSON: no I/O, so they are unit-tested against hand-made and mutated
/// templates.
/// </summary>
public static partial class TemplateInspector
{
    public const string FunctionAppType = "Microsoft.Web/sites";
    public const string PlanType = "Microsoft.Web/serverfarms";
    public const string AzureCacheForRedisType = "Microsoft.Cache/redis";
    public const string ManagedRedisType = "Microsoft.Cache/redisEnterprise";
    public const string ManagedRedisDatabaseType = "Microsoft.Cache/redisEnterprise/databases";
    private const string DeploymentType = "Microsoft.Resources/deployments";

    /// <summary>
    /// Sample setting names that Azure may satisfy with another, equivalent setting. AzureWebJobsStorage is
    /// identity-based in Azure: the host reads AzureWebJobsStorage__accountName (plus __credential/__clientId) instead
    /// of a connection string holding the account key.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> AcceptedEquivalents =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = ["AzureWebJobsStorage__accountName"],
        };

    /// <summary>Every resource of the given type, at any depth of nested deployments.</summary>
    public static IReadOnlyList<JsonObject> FindResources(JsonNode template, string type)
    {
        var found = new List<JsonObject>();
        Collect(template, type, found);
        return found;
    }

    /// <summary>The single Function App's app settings, name to (possibly expression-valued) value.</summary>
    public static IReadOnlyDictionary<string, string> FunctionAppSettings(JsonNode template)
    {
        var apps = FindResources(template, FunctionAppType)
            .Where(site => (site["kind"]?.GetValue<string>() ?? string.Empty)
                .Contains("functionapp", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (apps.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected exactly one Function App ({FunctionAppType} of kind functionapp) in the template, " +
                $"found {apps.Count}.");
        }

        var settings = apps[0]["properties"]?["siteConfig"]?["appSettings"] as JsonArray
            ?? throw new InvalidOperationException(
                "The Function App has no literal properties.siteConfig.appSettings array.");
        return settings
            .OfType<JsonObject>()
            .ToDictionary(
                setting => setting["name"]?.GetValue<string>() ?? string.Empty,
                setting => setting["value"]?.ToString() ?? string.Empty,
                StringComparer.Ordinal);
    }

    /// <summary>
    /// Names from <paramref name="required"/> that are neither set nor replaced by an accepted equivalent.
    /// </summary>
    public static IReadOnlyList<string> MissingSettings(
        IEnumerable<string> required, IReadOnlyDictionary<string, string> settings) =>
        required.Where(name => !IsSatisfied(name, settings)).ToList();

    public static bool IsSatisfied(string name, IReadOnlyDictionary<string, string> settings) =>
        settings.ContainsKey(name)
        || (AcceptedEquivalents.TryGetValue(name, out var equivalents) && equivalents.Any(settings.ContainsKey));

    /// <summary>
    /// True when the value is an App Service Key Vault reference: the literal <c>@Microsoft.KeyVault(...)</c>, or an
    /// ARM expression that always produces one (<c>[format('@Microsoft.KeyVault(...)', ...)]</c>).
    /// </summary>
    public static bool IsKeyVaultReference(string? value) =>
        value is not null
        && (value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal)
            || value.StartsWith("[format('@Microsoft.KeyVault(", StringComparison.Ordinal));

    /// <summary>
    /// What lets a client reach Redis without TLS 1.2, or an empty list. No Redis resource at all is a problem too.
    /// </summary>
    public static IReadOnlyList<string> RedisTransportProblems(JsonNode template)
    {
        var problems = new List<string>();
        var caches = FindResources(template, AzureCacheForRedisType);
        var clusters = FindResources(template, ManagedRedisType);
        var databases = FindResources(template, ManagedRedisDatabaseType);
        if (caches.Count + clusters.Count == 0)
        {
            problems.Add($"No Redis resource ({AzureCacheForRedisType} or {ManagedRedisType}) in the template.");
        }

        foreach (var cache in caches)
        {
            if (cache["properties"]?["enableNonSslPort"] is not JsonValue nonSsl || nonSsl.ToJsonString() != "false")
            {
                problems.Add(
                    $"{AzureCacheForRedisType} {Name(cache)}: properties.enableNonSslPort must be the literal false " +
                    $"(it is {Show(cache["properties"]?["enableNonSslPort"])}).");
            }

            RequireTls12(cache, problems);
        }

        foreach (var cluster in clusters)
        {
            RequireTls12(cluster, problems);
        }

        if (clusters.Count > 0 && databases.Count == 0)
        {
            problems.Add(
                $"{ManagedRedisType} has no {ManagedRedisDatabaseType}, " +
                "so its client protocol is not pinned to Encrypted.");
        }

        foreach (var database in databases)
        {
            var protocol = database["properties"]?["clientProtocol"]?.ToString();
            if (protocol != "Encrypted")
            {
                problems.Add(
                    $"{ManagedRedisDatabaseType} {Name(database)}: properties.clientProtocol must be 'Encrypted' " +
                    $"(TLS only), it is {Show(database["properties"]?["clientProtocol"])}.");
            }
        }

        return problems;
    }

    /// <summary>
    /// Outputs, at any depth, whose value calls an ARM list* function (listKeys, listConnectionStrings, ...).
    /// </summary>
    public static IReadOnlyList<string> OutputsExposingSecrets(JsonNode template)
    {
        var found = new List<string>();
        CollectSecretOutputs(template, "main", found);
        return found;
    }

    /// <summary>
    /// App settings whose value carries a secret in plain text (a list* call, an account key or a password).
    /// </summary>
    public static IReadOnlyList<string> SettingsExposingSecrets(IReadOnlyDictionary<string, string> settings) =>
        settings.Where(setting => !IsKeyVaultReference(setting.Value) && PlainSecret().IsMatch(setting.Value))
            .Select(setting => setting.Key)
            .ToList();

    private static void RequireTls12(JsonObject resource, List<string> problems)
    {
        var tls = resource["properties"]?["minimumTlsVersion"]?.ToString();
        if (tls != "1.2")
        {
            problems.Add(
                $"{resource["type"]} {Name(resource)}: properties.minimumTlsVersion must be '1.2', " +
                $"it is {Show(resource["properties"]?["minimumTlsVersion"])}.");
        }
    }

    private static void Collect(JsonNode template, string type, List<JsonObject> found)
    {
        foreach (var resource in Resources(template))
        {
            var resourceType = resource["type"]?.GetValue<string>();
            if (string.Equals(resourceType, type, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(resource);
            }

            if (string.Equals(resourceType, DeploymentType, StringComparison.OrdinalIgnoreCase)
                && resource["properties"]?["template"] is JsonNode nested)
            {
                Collect(nested, type, found);
            }
        }
    }

    private static void CollectSecretOutputs(JsonNode template, string scope, List<string> found)
    {
        if (template["outputs"] is JsonObject outputs)
        {
            found.AddRange(outputs
                .Where(output => ListFunctionCall().IsMatch(output.Value?.ToJsonString() ?? string.Empty))
                .Select(output => $"{scope}: output '{output.Key}'"));
        }

        foreach (var deployment in Resources(template)
                     .Where(resource => string.Equals(
                         resource["type"]?.GetValue<string>(), DeploymentType, StringComparison.OrdinalIgnoreCase)))
        {
            if (deployment["properties"]?["template"] is JsonNode nested)
            {
                CollectSecretOutputs(nested, $"module {deployment["name"]}", found);
            }
        }
    }

    // Templates in language version 2.0 keep resources in an object keyed by symbolic name; older ones in an array.
    private static IEnumerable<JsonObject> Resources(JsonNode template) =>
        template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject map => map.Select(pair => pair.Value).OfType<JsonObject>(),
            _ => [],
        };

    private static string Name(JsonObject resource) => resource["name"]?.ToString() ?? "(unnamed)";

    private static string Show(JsonNode? node) => node is null ? "not set" : node.ToJsonString();

    [GeneratedRegex(@"\blist\w*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunctionCall();

    [GeneratedRegex(@"\blist\w*\(|AccountKey=|password=", RegexOptions.IgnoreCase)]
    private static partial Regex PlainSecret();
}
