using System.Text.Json.Nodes;

namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>
/// Compiles, lints and snapshots infra/main.bicep once for all tests (each CLI call takes seconds), and writes
/// throw-away .bicepparam files for the parameter tests into its own temporary folder.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    // Fixed ids so the offline snapshot is deterministic; nothing here talks to Azure.
    private const string SnapshotSubscriptionId = "00000000-0000-0000-0000-00000000a001";
    private const string SnapshotTenantId = "00000000-0000-0000-0000-00000000a002";
    public const string SnapshotLocation = "westeurope";

    private readonly string workDirectory = Path.Combine(Path.GetTempPath(), $"orders-infra-tests-{Guid.NewGuid():N}");
    private JsonNode? template;
    private JsonNode? snapshot;

    public CommandResult Build { get; private set; } = null!;

    public CommandResult Lint { get; private set; } = null!;

    public CommandResult SnapshotRun { get; private set; } = null!;

    /// <summary>The compiled ARM template of infra/main.bicep.</summary>
    public JsonNode Template => template
        ?? throw new InvalidOperationException(
            $"bicep build of {RepositoryLayout.MainBicep} failed:\n{Build.Transcript}");

    /// <summary>
    /// The offline deployment snapshot with every parameter at its default (predicted resources, evaluated).
    /// </summary>
    public JsonNode Snapshot => snapshot
        ?? throw new InvalidOperationException(
            $"bicep snapshot with default parameters failed:\n{SnapshotRun.Transcript}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(workDirectory);

        Build = await BicepCli.RunAsync(
            ["build", RepositoryLayout.MainBicep, "--stdout"], RepositoryLayout.InfraDirectory);
        if (Build.ExitCode == 0)
        {
            template = JsonNode.Parse(Build.StandardOutput);
        }

        Lint = await BicepCli.RunAsync(["lint", RepositoryLayout.MainBicep], RepositoryLayout.InfraDirectory);

        var parameters = await WriteParametersAsync("defaults", RequiredParameters);
        SnapshotRun = await BicepCli.RunAsync(
            [
                "snapshot", parameters, "--mode", "overwrite", "--subscription-id", SnapshotSubscriptionId,
                "--tenant-id", SnapshotTenantId, "--location", SnapshotLocation,
            ],
            workDirectory);
        var snapshotFile = Path.ChangeExtension(parameters, ".snapshot.json");
        if (SnapshotRun.ExitCode == 0 && File.Exists(snapshotFile))
        {
            snapshot = JsonNode.Parse(await File.ReadAllTextAsync(snapshotFile));
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(workDirectory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The parameters main.bicep has no default for (azd fills them from its environment).</summary>
    public static string RequiredParameters => $"param environmentName = 'ci'\nparam location = '{SnapshotLocation}'\n";

    /// <summary>Runs `bicep build-params` on a .bicepparam using main.bicep with the given parameter lines.</summary>
    public async Task<CommandResult> BuildParamsAsync(string name, string parameterLines)
    {
        var file = await WriteParametersAsync(name, parameterLines);
        return await BicepCli.RunAsync(["build-params", file, "--stdout"], workDirectory);
    }

    private async Task<string> WriteParametersAsync(string name, string parameterLines)
    {
        // Bicep accepts only relative paths in `using`.
        var relativeMain = Path.GetRelativePath(workDirectory, RepositoryLayout.MainBicep).Replace('\\', '/');
        var file = Path.Combine(workDirectory, $"{name}.bicepparam");
        await File.WriteAllTextAsync(file, $"using '{relativeMain}'\n{parameterLines}");
        return file;
    }
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "Compiled infrastructure";
}
