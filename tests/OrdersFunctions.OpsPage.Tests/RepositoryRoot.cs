namespace OrdersFunctions.OpsPage.Tests;

/// <summary>The repository root (the folder holding OrdersFunctions.sln), found from the test binaries upwards.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrdersFunctions.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No OrdersFunctions.sln above {AppContext.BaseDirectory}: run the tests from the repository's build output.");
    }
}
