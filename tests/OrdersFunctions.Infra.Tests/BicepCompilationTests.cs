using OrdersFunctions.Infra.Tests.Support;

namespace OrdersFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class BicepCompilationTests(InfraFixture infra)
{
    [Fact]
    public void MainBicep_Builds_WithoutErrors()
    {
        var errors = BicepDiagnostic.Parse(infra.Build.StandardError).Where(d => d.Level == "Error").ToList();

        Assert.True(infra.Build.ExitCode == 0 && errors.Count == 0,
            $"bicep build infra/main.bicep failed:\n{string.Join('\n', errors)}\n{infra.Build.Transcript}");
    }

    [Fact]
    public void MainBicep_Lints_WithoutWarningsOrErrors()
    {
        // Warnings count as failures: every rule in infra/bicepconfig.json is one we mean to keep. The only rule turned
        // off is use-recent-api-versions, whose verdict changes with today's date rather than with the template.
        var findings = BicepDiagnostic.Parse(infra.Lint.StandardOutput + "\n" + infra.Lint.StandardError)
            .Where(d => d.IsWarningOrError)
            .ToList();

        Assert.True(infra.Lint.ExitCode == 0 && findings.Count == 0,
            $"bicep lint infra/main.bicep reported:\n{string.Join('\n', findings)}\n{infra.Lint.Transcript}");
    }

    [Fact]
    public void MainBicep_Snapshots_WithDefaultParameters()
    {
        var diagnostics = infra.Snapshot["diagnostics"]?.AsArray() ?? [];

        Assert.True(diagnostics.Count == 0,
            $"bicep snapshot with only environmentName and location set reported: {diagnostics.ToJsonString()}");
    }
}
