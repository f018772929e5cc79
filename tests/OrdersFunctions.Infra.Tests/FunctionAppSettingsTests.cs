using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class FunctionAppSettingsTests(InfraFixture infra)
{
    /// <summary>Sample settings whose Azure value differs from the local one on purpose.</summary>
    private static readonly IReadOnlySet<string> DifferentInAzure = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage",           // identity-based: AzureWebJobsStorage__accountName
        "RedisConnection",               // Key Vault reference
        "Spreadsheet__CsvPath",          // the app's persistent shared /home
        "Notifications__OutboxPath",     // the app's persistent shared /home
        "Notifications__Smtp__Password", // secure parameter, Key Vault reference when set
    };

    [Theory]
    [MemberData(nameof(SampleSettingNames))]
    public void EverySampleSetting_IsAnAppSettingOfTheFunctionApp(string name)
    {
        var settings = TemplateInspector.FunctionAppSettings(infra.Template);

        var equivalents = TemplateInspector.AcceptedEquivalents.TryGetValue(name, out var names)
            ? $" (or {string.Join(", ", names)})"
            : string.Empty;
        Assert.True(TemplateInspector.IsSatisfied(name, settings),
            $"App setting '{name}'{equivalents} from local.settings.sample.json is missing from the Function App " +
            "in infra/modules/functionapp.bicep.");
    }

    [Fact]
    public void RedisConnection_IsAKeyVaultReference()
    {
        var settings = TemplateInspector.FunctionAppSettings(infra.Template);

        Assert.True(settings.TryGetValue("RedisConnection", out var value),
            "The Function App has no RedisConnection app setting.");
        Assert.True(TemplateInspector.IsKeyVaultReference(value),
            $"RedisConnection must be a Key Vault reference (@Microsoft.KeyVault(SecretUri=...)), it is: {value}");
    }

    [Fact]
    public void NoAppSetting_CarriesASecretInPlainText()
    {
        var leaking = TemplateInspector.SettingsExposingSecrets(TemplateInspector.FunctionAppSettings(infra.Template));

        Assert.True(leaking.Count == 0,
            "These app settings carry a key or password in plain text; store it in Key Vault and reference it: " +
            $"{string.Join(", ", leaking)}");
    }

    [Fact]
    public void ContentShareConnection_IsAKeyVaultReference()
    {
        var settings = TemplateInspector.FunctionAppSettings(infra.Template);

        Assert.True(
            TemplateInspector.IsKeyVaultReference(
                settings.GetValueOrDefault("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")),
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING holds the storage account key; " +
            "it must be a Key Vault reference.");
    }

    [Theory]
    [MemberData(nameof(SettingsSharedWithLocal))]
    public void DefaultDeployment_UsesTheSampleValue(string name)
    {
        var deployed = SnapshotReader.FunctionAppSettings(infra.Snapshot);
        var sample = SampleSettings.All[name];

        Assert.True(deployed.TryGetValue(name, out var value) && value == sample,
            $"With default parameters, app setting '{name}' deploys as '{value}' " +
            $"but local.settings.sample.json has '{sample}'. " +
            "Align the parameter default in infra/main.bicep with the sample " +
            "(or list the setting as deliberately different).");
    }

    [Theory]
    [InlineData("Spreadsheet__CsvPath", "/home/data/orders.csv")]
    [InlineData("Notifications__OutboxPath", "/home/data/outbox")]
    public void DefaultDeployment_PutsSinksOnThePersistentSharedHome(string name, string expected)
    {
        var deployed = SnapshotReader.FunctionAppSettings(infra.Snapshot);

        Assert.True(deployed.GetValueOrDefault(name) == expected,
            $"App setting '{name}' must default to '{expected}' " +
            $"(the Function App's persistent, instance-shared /home), it is '{deployed.GetValueOrDefault(name)}'.");
    }

    [Theory]
    [InlineData("FUNCTIONS_EXTENSION_VERSION", "~4")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated")]
    [InlineData("AzureWebJobsStorage__credential", "managedidentity")]
    public void HostSetting_HasTheExpectedValue(string name, string expected)
    {
        var settings = TemplateInspector.FunctionAppSettings(infra.Template);

        Assert.True(settings.GetValueOrDefault(name) == expected,
            $"App setting '{name}' must be '{expected}', it is '{settings.GetValueOrDefault(name) ?? "not set"}'.");
    }

    public static TheoryData<string> SampleSettingNames => SampleSettings.Names;

    public static TheoryData<string> SettingsSharedWithLocal
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in SampleSettings.All.Keys.Where(name => !DifferentInAzure.Contains(name)))
            {
                data.Add(name);
            }

            return data;
        }
    }
}
