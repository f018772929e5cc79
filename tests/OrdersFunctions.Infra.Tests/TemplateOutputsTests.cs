using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class TemplateOutputsTests(InfraFixture infra)
{
    [Fact]
    public void NoOutput_ExposesAKeyOrConnectionString()
    {
        var leaking = TemplateInspector.OutputsExposingSecrets(infra.Template);

        Assert.True(leaking.Count == 0,
            "Deployment outputs are readable by anyone with read access to the deployment; " +
            $"these call list* functions: {string.Join(", ", leaking)}");
    }

    [Fact]
    public void Outputs_NameTheFunctionApp()
    {
        // azd and the docs use it to find the app (`func azure functionapp publish $AZURE_FUNCTION_APP_NAME`).
        Assert.True(infra.Template["outputs"]?["AZURE_FUNCTION_APP_NAME"] is not null,
            "infra/main.bicep must output AZURE_FUNCTION_APP_NAME.");
    }
}
