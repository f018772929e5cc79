
namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>
/// Publishes the Functions app once (<c>dotnet publish -c Release</c>) into a temporary folder: the exact folder that
/// <c>func azure functionapp publish</c> and <c>azd deploy</c> upload.
/// </summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    public string OutputDirectory { get; } =
        Path.Combine(Path.GetTempPath(), "orders-publish-" + Guid.NewGuid().ToString("N"));

    public static string AppProject => Path.Combine(
        RepositoryLayout.RootDirectory, "functions", "OrdersFunctions.App", "OrdersFunctions.App.csproj");

    public async Task InitializeAsync()
    {
        var result = await CommandRunner.RunAsync("dotnet",
            ["publish", AppProject, "-c", "Release", "-o", OutputDirectory, "--nologo", "-clp:ErrorsOnly"],
            RepositoryLayout.RootDirectory, Timeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish of {AppProject} failed:\n{result.Transcript}");
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(OutputDirectory))
            Directory.Delete(OutputDirectory, recursive: true);
        return Task.CompletedTask;
    }

    public string PathOf(string relativePath) => Path.Combine(OutputDirectory, relativePath);
}
