namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>Where the solution's build put things, for the configuration this test assembly was built in.</summary>
internal static class BuildOutputs
{
    public static string RepositoryRoot { get; } = Testing.RepositoryRoot.Find();

    /// <summary>Debug or Release: the folder under bin/ this test assembly runs from.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The test Functions app's output (functions.metadata, extensions.json, .azurefunctions/).</summary>
    public static string TestApp => Path.Combine(
        RepositoryRoot, "tests", "OrdersFunctions.RedisStreams.WebJobs.TestApp", "bin", Configuration, "net10.0");

    /// <summary>The host-side extension as its own project built it.</summary>
    public static string WebJobsAssembly => Path.Combine(
        RepositoryRoot, "src", "OrdersFunctions.RedisStreams.WebJobs", "bin", Configuration, "net8.0",
        "OrdersFunctions.RedisStreams.WebJobs.dll");

    /// <summary>The engine as its own project built it.</summary>
    public static string EngineAssembly => Path.Combine(
        RepositoryRoot, "src", "OrdersFunctions.RedisStreams", "bin", Configuration, "net8.0",
        "OrdersFunctions.RedisStreams.dll");

    public static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException(
            $"{path} does not exist: build the solution first (dotnet build OrdersFunctions.sln -c {Configuration}).",
            path);
}
