using System.Security.Cryptography;
using OrdersFunctions.RedisStreams.Testing;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>
/// The packed extension keeps one version (1.0.0) across builds, and NuGet never re-extracts a version it already holds.
/// This builds the Functions app in a private copy of the repository, changes the extension's code, builds again, and
/// checks that the app's .azurefunctions/ then holds the changed extension — with no cache cleared by hand; and that a
/// Release build in between (which packs the same id and version) does not leak into the next Debug build.
/// </summary>
public sealed class ExtensionChangeTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);
    private static readonly string[] CopiedFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "host.json"];
    private static readonly string[] CopiedFolders =
        ["src/OrdersFunctions.RedisStreams", "src/OrdersFunctions.RedisStreams.Worker", "src/OrdersFunctions.RedisStreams.WebJobs", "functions/OrdersFunctions.App"];
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj" };

    private readonly string _copy = Directory.CreateTempSubdirectory("orders-extension-change-").FullName;

    [Fact]
    public async Task ChangedExtensionCode_ReachesTheAppsAzureFunctionsFolder_WithoutClearingCaches()
    {
        CopyRepository();
        await BuildAppAsync();
        var first = Hash(PackedExtension);
        Assert.Equal(Hash(BuiltExtension), first);

        await File.WriteAllTextAsync(Path.Combine(_copy, "src/OrdersFunctions.RedisStreams.WebJobs/ChangeMarker.cs"),
            $"namespace OrdersFunctions.RedisStreams.WebJobs;\ninternal static class ChangeMarker {{ internal const string Value = \"{Guid.NewGuid():N}\"; }}\n");
        await BuildAppAsync();

        Assert.NotEqual(first, Hash(BuiltExtension));
        Assert.True(Hash(BuiltExtension) == Hash(PackedExtension),
            "After a change to the extension, the app's .azurefunctions/ still holds the previous build: the local-feed refresh did not work.");
    }

    [Fact]
    public async Task DebugBuildAfterAReleaseBuild_AppHoldsTheDebugExtension_NotTheReleaseOne()
    {
        // Both configurations pack the same id and version into the one local feed; the Release build (as the publish
        // test does) leaves its packages there, and an up-to-date Debug build must not hand them to the Debug app.
        CopyRepository();
        await BuildAppAsync("Debug");
        await BuildAppAsync("Release");
        Assert.NotEqual(Hash(Built("Debug")), Hash(Built("Release")));

        await BuildAppAsync("Debug");

        Assert.True(Hash(Built("Debug")) == Hash(Packed("Debug")),
            "After a Release build, the Debug app's .azurefunctions/ holds another build of the extension (the Release one?).");
        Assert.Equal(Hash(Built("Debug", engine: true)), Hash(Packed("Debug", engine: true)));
    }

    private string BuiltExtension => Built("Debug");

    private string PackedExtension => Packed("Debug");

    private string Built(string configuration, bool engine = false) => engine
        ? Path.Combine(_copy, $"src/OrdersFunctions.RedisStreams/bin/{configuration}/net8.0/OrdersFunctions.RedisStreams.dll")
        : Path.Combine(_copy, $"src/OrdersFunctions.RedisStreams.WebJobs/bin/{configuration}/net8.0/OrdersFunctions.RedisStreams.WebJobs.dll");

    private string Packed(string configuration, bool engine = false) =>
        Path.Combine(_copy, $"functions/OrdersFunctions.App/bin/{configuration}/net10.0/.azurefunctions/OrdersFunctions.RedisStreams{(engine ? "" : ".WebJobs")}.dll");

    private void CopyRepository()
    {
        foreach (var file in CopiedFiles)
            File.Copy(Path.Combine(BuildOutputs.RepositoryRoot, file), Path.Combine(_copy, file));
        foreach (var folder in CopiedFolders)
            CopyFolder(new DirectoryInfo(Path.Combine(BuildOutputs.RepositoryRoot, folder)), Path.Combine(_copy, folder));
        Directory.CreateDirectory(Path.Combine(_copy, "local-feed"));
    }

    private static void CopyFolder(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.EnumerateFiles())
            file.CopyTo(Path.Combine(target, file.Name));
        foreach (var folder in source.EnumerateDirectories().Where(d => !SkippedFolders.Contains(d.Name)))
            CopyFolder(folder, Path.Combine(target, folder.Name));
    }

    private async Task BuildAppAsync(string configuration = "Debug")
    {
        var result = await CommandRunner.RunAsync("dotnet",
            ["build", "functions/OrdersFunctions.App/OrdersFunctions.App.csproj", "-c", configuration, "--nologo", "-clp:ErrorsOnly"],
            _copy, BuildTimeout);
        Assert.True(result.ExitCode == 0, $"dotnet build of the app copy in {_copy} failed:\n{result.Transcript}");
    }

    private static string Hash(string path) =>
        File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : throw new FileNotFoundException($"{path} was not built.", path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_copy, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is cleaned by the OS eventually.
        }
    }
}
