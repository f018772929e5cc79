using System.Text.Json.Nodes;
using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class HostingPlanTests(InfraFixture infra)
{
    [Fact]
    public void Plan_IsElasticPremium()
    {
        var plan = Assert.Single(TemplateInspector.FindResources(infra.Template, TemplateInspector.PlanType));

        Assert.True(plan["sku"]?["tier"]?.ToString() == "ElasticPremium" && plan["kind"]?.ToString() == "elastic",
            "The App Service plan must be Elastic Premium (sku.tier 'ElasticPremium', kind 'elastic') " +
            $"so the custom Redis stream trigger runs; it is {plan["sku"]?.ToJsonString()} kind {plan["kind"]}.");
    }

    [Fact]
    public void FunctionApp_HasRuntimeScaleMonitoringOn()
    {
        var app = FunctionApp(infra.Template);

        Assert.True(
            app["properties"]?["siteConfig"]?["functionsRuntimeScaleMonitoringEnabled"]?.ToJsonString() == "true",
            "siteConfig.functionsRuntimeScaleMonitoringEnabled must be true: only then does the scale controller " +
            "ask the runtime (our trigger's scale monitor) instead of watching the event source itself.");
    }

    [Fact]
    public void FunctionApp_RunsTheDotnetIsolatedWorkerOnLinux()
    {
        var app = FunctionApp(infra.Template);

        Assert.True(
            app["kind"]?.ToString() == "functionapp,linux"
            && app["properties"]?["siteConfig"]?["linuxFxVersion"]?.ToString() == "DOTNET-ISOLATED|10.0",
            "The Function App must be kind 'functionapp,linux' with linuxFxVersion 'DOTNET-ISOLATED|10.0'; " +
            $"it is kind {app["kind"]}, linuxFxVersion {app["properties"]?["siteConfig"]?["linuxFxVersion"]}.");
    }

    [Fact]
    public void DefaultDeployment_KeepsAtLeastOneAlwaysReadyInstance()
    {
        var app = SnapshotReader.Single(infra.Snapshot, TemplateInspector.FunctionAppType);
        var plan = SnapshotReader.Single(infra.Snapshot, TemplateInspector.PlanType);

        var appMinimum = app["properties"]?["siteConfig"]?["minimumElasticInstanceCount"]?.GetValue<int>() ?? 0;
        var planMinimum = plan["sku"]?["capacity"]?.GetValue<int>() ?? 0;
        Assert.True(appMinimum >= 1 && planMinimum >= 1,
            "With default parameters the app must keep an always-ready instance " +
            $"(siteConfig.minimumElasticInstanceCount {appMinimum}) on a plan with a minimum instance " +
            $"(sku.capacity {planMinimum}).");
    }

    [Fact]
    public void AlwaysReadyInstances_CannotBeSetBelowOne()
    {
        var minimum = infra.Template["parameters"]?["alwaysReadyInstances"]?["minValue"]?.GetValue<int>();

        Assert.True(minimum >= 1,
            "Parameter alwaysReadyInstances needs @minValue(1) so no deployment runs without a listener; " +
            $"minValue is {minimum?.ToString() ?? "not set"}.");
    }

    [Fact]
    public void DefaultDeployment_IsOnEP1()
    {
        var plan = SnapshotReader.Single(infra.Snapshot, TemplateInspector.PlanType);

        Assert.True(plan["sku"]?["name"]?.ToString() == "EP1",
            $"The default plan SKU must be EP1, it is {plan["sku"]?["name"]}.");
    }

    private static JsonObject FunctionApp(JsonNode template) =>
        Assert.Single(TemplateInspector.FindResources(template, TemplateInspector.FunctionAppType));
}
