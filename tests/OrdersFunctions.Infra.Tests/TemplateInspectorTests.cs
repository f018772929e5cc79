using System.Text.Json.Nodes;
using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

/// <summary>
/// Proves the checks can fail: each test breaks one thing in a copy of the compiled template (or in a hand-made
/// template) and expects the inspector to report it.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class TemplateInspectorTests(InfraFixture infra)
{
    [Fact]
    public void PlainTextRedisConnection_IsNotAKeyVaultReference()
    {
        var template = infra.Template.DeepClone();
        SetAppSetting(template, "RedisConnection", "redis.example:10000,password=hunter2,ssl=True");

        var value = TemplateInspector.FunctionAppSettings(template)["RedisConnection"];

        Assert.False(TemplateInspector.IsKeyVaultReference(value));
        Assert.Contains(
            "RedisConnection",
            TemplateInspector.SettingsExposingSecrets(TemplateInspector.FunctionAppSettings(template)));
    }

    [Fact]
    public void RemovedAppSetting_IsReportedMissing()
    {
        var template = infra.Template.DeepClone();
        var settings = AppSettings(template);
        settings.Remove(settings.OfType<JsonObject>().Single(s => s["name"]?.ToString() == "SpreadsheetsGroup"));

        var missing = TemplateInspector.MissingSettings(
            SampleSettings.All.Keys, TemplateInspector.FunctionAppSettings(template));

        Assert.Contains("SpreadsheetsGroup", missing);
    }

    [Fact]
    public void ConnectionStringStorage_WithoutIdentitySettings_IsReportedMissing()
    {
        var template = infra.Template.DeepClone();
        var settings = AppSettings(template);
        settings.Remove(settings.OfType<JsonObject>()
            .Single(s => s["name"]?.ToString() == "AzureWebJobsStorage__accountName"));

        var missing = TemplateInspector.MissingSettings(
            ["AzureWebJobsStorage"], TemplateInspector.FunctionAppSettings(template));

        Assert.Equal(["AzureWebJobsStorage"], missing);
    }

    [Fact]
    public void PlaintextRedisProtocol_IsReported()
    {
        var template = infra.Template.DeepClone();
        var database = TemplateInspector.FindResources(template, TemplateInspector.ManagedRedisDatabaseType).Single();
        database["properties"]!["clientProtocol"] = "Plaintext";

        var problems = TemplateInspector.RedisTransportProblems(template);

        Assert.Contains(problems, p => p.Contains("clientProtocol", StringComparison.Ordinal));
    }

    [Fact]
    public void OldTlsOnRedis_IsReported()
    {
        var template = infra.Template.DeepClone();
        var cluster = TemplateInspector.FindResources(template, TemplateInspector.ManagedRedisType).Single();
        cluster["properties"]!["minimumTlsVersion"] = "1.0";

        var problems = TemplateInspector.RedisTransportProblems(template);

        Assert.Contains(problems, p => p.Contains("minimumTlsVersion", StringComparison.Ordinal));
    }

    [Fact]
    public void ListKeysInAModuleOutput_IsReported()
    {
        var template = infra.Template.DeepClone();
        var redisModule = Resources(template).Single(r => r["name"]?.ToString() == "redis");
        redisModule["properties"]!["template"]!["outputs"]!["leak"] = new JsonObject
        {
            ["type"] = "string",
            ["value"] = "[listKeys(resourceId('Microsoft.Cache/redisEnterprise/databases', parameters('name'), " +
                "'default'), '2025-07-01').primaryKey]",
        };

        var leaking = TemplateInspector.OutputsExposingSecrets(template);

        Assert.Equal(["module redis: output 'leak'"], leaking);
    }

    [Fact]
    public void AzureCacheForRedis_WithNonSslPortOn_IsReported()
    {
        var template = JsonNode.Parse("""
            {"resources":[{"type":"Microsoft.Cache/redis","name":"cache",
              "properties":{"enableNonSslPort":true,"minimumTlsVersion":"1.2"}}]}
            """)!;

        var problems = TemplateInspector.RedisTransportProblems(template);

        Assert.Contains(problems, p => p.Contains("enableNonSslPort", StringComparison.Ordinal));
    }

    [Fact]
    public void AzureCacheForRedis_WithNonSslPortOffAndTls12_IsAccepted()
    {
        var template = JsonNode.Parse("""
            {"resources":[{"type":"Microsoft.Cache/redis","name":"cache",
              "properties":{"enableNonSslPort":false,"minimumTlsVersion":"1.2"}}]}
            """)!;

        Assert.Empty(TemplateInspector.RedisTransportProblems(template));
    }

    [Fact]
    public void TemplateWithoutRedis_IsReported()
    {
        var template = JsonNode.Parse("""{"resources":[]}""")!;

        Assert.Single(TemplateInspector.RedisTransportProblems(template));
    }

    [Fact]
    public void LanguageVersion2Template_ResourcesKeyedBySymbolicName_AreFound()
    {
        var template = JsonNode.Parse("""
            {"languageVersion":"2.0","resources":{"mod":{"type":"Microsoft.Resources/deployments","name":"m",
              "properties":{"template":
                {"resources":{"app":{"type":"Microsoft.Web/sites","kind":"functionapp,linux","name":"a",
                  "properties":{"siteConfig":{"appSettings":[{"name":"X","value":"1"}]}}}}}}}}}
            """)!;

        Assert.Equal("1", TemplateInspector.FunctionAppSettings(template)["X"]);
    }

    [Theory]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)", true)]
    [InlineData("[format('@Microsoft.KeyVault(SecretUri={0})', parameters('uri'))]", true)]
    [InlineData(
        "[if(parameters('x'), format('@Microsoft.KeyVault(SecretUri={0})', parameters('uri')), 'plain')]", false)]
    [InlineData("127.0.0.1:6379", false)]
    [InlineData("", false)]
    public void IsKeyVaultReference_RecognisesOnlyGuaranteedReferences(string value, bool expected) =>
        Assert.Equal(expected, TemplateInspector.IsKeyVaultReference(value));

    private static JsonArray AppSettings(JsonNode template) =>
        (JsonArray)TemplateInspector.FindResources(template, TemplateInspector.FunctionAppType)
            .Single()["properties"]!["siteConfig"]!["appSettings"]!;

    private static void SetAppSetting(JsonNode template, string name, string value) =>
        AppSettings(template).OfType<JsonObject>().Single(s => s["name"]?.ToString() == name)["value"] = value;

    private static IEnumerable<JsonObject> Resources(JsonNode template) =>
        ((JsonArray)template["resources"]!).OfType<JsonObject>();
}
