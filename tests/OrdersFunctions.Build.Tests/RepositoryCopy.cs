using System.Security.Cryptography;
using OrdersFunctions.RedisStreams.Testing;

namespace OrdersFunctions.Build.Tests;

/// <summary>
/// A private copy of what the Functions app's build needs (the shared build files, the engine, the worker-side and
/// host-side trigger projects, the app), built once in Debug. Tests build it again and read what came out; each test
/// first builds, so it does not depend on what an earlier one changed.
/// </summary>
public sealed class RepositoryCopy : IAsyncLifetime
{
    public const string ExtensionPackageId = "OrdersFunctions.RedisStreams.WebJobs";
    public const string EnginePackageId = "OrdersFunctions.RedisStreams";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);
    private static readonly string[] CopiedFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "host.json"];
    private static readonly string[] CopiedFolders =
    [
        "build", "src/OrdersFunctions.RedisStreams", "src/OrdersFunctions.RedisStreams.Worker",
        "src/OrdersFunctions.RedisStreams.WebJobs", "src/OrdersFunctions.Operations", "functions/OrdersFunctions.App",
    ];
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj" };

    public string Root { get; } = Directory.CreateTempSubdirectory("orders-build-tests-").FullName;

    public async Task InitializeAsync()
    {
        var source = RepositoryRoot.Find();
        foreach (var file in CopiedFiles)
            File.Copy(Path.Combine(source, file), Path.Combine(Root, file));
        foreach (var folder in CopiedFolders)
            CopyFolder(new DirectoryInfo(Path.Combine(source, folder)), Path.Combine(Root, folder));
        Directory.CreateDirectory(Path.Combine(Root, "local-feed"));
        await BuildAppAsync("Debug");
    }

    /// <summary><c>dotnet build</c> of the app in this copy, as a developer runs it; fails the test if it
    /// fails.</summary>
    public async Task<CommandResult> BuildAppAsync(string configuration)
    {
        string[] arguments =
        [
            "build", "functions/OrdersFunctions.App/OrdersFunctions.App.csproj", "-c", configuration, "--nologo",
            "-v", "minimal",
        ];
        var result = await CommandRunner.RunAsync("dotnet", arguments, Root, BuildTimeout);
        Assert.True(result.ExitCode == 0,
            $"dotnet build -c {configuration} of the app copy in {Root} failed:\n{result.Transcript}");
        return result;
    }

    /// <summary>Adds a source file with new content to the host-side extension: a change NuGet must not miss.</summary>
    public void ChangeExtension() =>
        File.WriteAllText(Path.Combine(Root, "src/OrdersFunctions.RedisStreams.WebJobs/ChangeMarker.cs"),
            "namespace OrdersFunctions.RedisStreams.WebJobs;\n" +
            $"internal static class ChangeMarker {{ internal const string Value = \"{Guid.NewGuid():N}\"; }}\n");

    /// <summary>The extension (or the engine) as its own project built it.</summary>
    public string Built(string configuration, bool engine = false)
    {
        var project = engine ? EnginePackageId : ExtensionPackageId;
        return Path.Combine(Root, $"src/{project}/bin/{configuration}/net8.0/{project}.dll");
    }

    /// <summary>The extension (or the engine) where the Functions host loads it from: the app's
    /// .azurefunctions/.</summary>
    public string Packed(string configuration, bool engine = false) =>
        Path.Combine(Root, $"functions/OrdersFunctions.App/bin/{configuration}/net10.0/.azurefunctions",
            $"{(engine ? EnginePackageId : ExtensionPackageId)}.dll");

    /// <summary>The packages of <paramref name="packageId"/> in local-feed/ packed in
    /// <paramref name="configuration"/>.</summary>
    public IReadOnlyList<string> FeedPackages(string packageId, string configuration)
    {
        var pattern = $"{packageId}.1.0.0-{configuration.ToLowerInvariant()}.*.nupkg";
        return Directory.GetFiles(Path.Combine(Root, "local-feed"), pattern)
            .Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// What a build that packs, restores or builds WorkerExtensions would touch: every package in local-feed/ and the
    /// generated WorkerExtensions project's restore and build output, each with its last write time.
    /// </summary>
    public IReadOnlyList<string> PackagingFootprint(string configuration)
    {
        var workerExtensions =
            Path.Combine(Root, $"functions/OrdersFunctions.App/obj/{configuration}/net10.0/WorkerExtensions");
        var files = Directory.GetFiles(Path.Combine(Root, "local-feed"), "*.nupkg")
            .Append(Path.Combine(workerExtensions, "obj/project.assets.json"))
            .Concat(Directory.GetFiles(Path.Combine(workerExtensions, "bin"), "*.dll", SearchOption.AllDirectories));
        return files.Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(Root, f)} {File.GetLastWriteTimeUtc(f):O}")
            .ToList();
    }

    public static string Hash(string path) => File.Exists(path)
        ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))
        : throw new FileNotFoundException($"{path} was not built.", path);

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build node may still hold a file for a moment; the temp folder is cleaned by the OS eventually.
        }
        return Task.CompletedTask;
    }

    private static void CopyFolder(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.EnumerateFiles())
            file.CopyTo(Path.Combine(target, file.Name));
        foreach (var folder in source.EnumerateDirectories().Where(d => !SkippedFolders.Contains(d.Name)))
            CopyFolder(folder, Path.Combine(target, folder.Name));
    }
}
