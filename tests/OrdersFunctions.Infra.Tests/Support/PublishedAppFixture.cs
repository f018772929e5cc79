using System.Diagnostics;

namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>
/// Publishes the Functions app once (<c>dotnet publish -c Release</c>) into a temporary folder: the exact folder that
/// <c>func azure functionapp publish</c> and <c>azd deploy</c> upload.
/// </summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    public string OutputDirectory { get; } = Path.Combine(Path.GetTempPath(), "orders-publish-" + Guid.NewGuid().ToString("N"));

    public static string AppProject => Path.Combine(RepositoryLayout.RootDirectory, "functions", "OrdersFunctions.App", "OrdersFunctions.App.csproj");

    public async Task InitializeAsync()
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryLayout.RootDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", AppProject, "-c", "Release", "-o", OutputDirectory, "--nologo", "-clp:ErrorsOnly" })
            startInfo.ArgumentList.Add(argument);
        // The test host's own MSBuild variables must not leak into the nested build.
        startInfo.Environment.Remove("MSBuildExtensionsPath");
        startInfo.Environment.Remove("MSBuildSDKsPath");
        startInfo.Environment.Remove("MSBUILD_EXE_PATH");

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish of {AppProject} did not finish within {Timeout}.");
        }

        var result = new ProcessResult(process.ExitCode, await stdout, await stderr);
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
