namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>Paths of the files the infrastructure tests read, found from the repository root.</summary>
public static class RepositoryLayout
{
    private const string SolutionFileName = "OrdersFunctions.sln";

    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RootDirectory => Root.Value;

    public static string InfraDirectory => Path.Combine(RootDirectory, "infra");

    public static string MainBicep => Path.Combine(InfraDirectory, "main.bicep");

    /// <summary>The single source of truth for the app setting names (its <c>Values</c> object).</summary>
    public static string SampleSettings => Path.Combine(RootDirectory, "local.settings.sample.json");

    private static string FindRoot()
    {
        // Walk up from the test binaries (tests/OrdersFunctions.Infra.Tests/bin/...) to the folder holding the
        // solution.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Could not find {SolutionFileName} above {AppContext.BaseDirectory}: " +
            "run the tests from inside the repository.");
    }
}
