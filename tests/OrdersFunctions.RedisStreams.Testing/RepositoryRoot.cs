namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>The repository the tests run from: the folder above their build output that holds OrdersFunctions.sln.
/// </summary>
public static class RepositoryRoot
{
    private const string SolutionFileName = "OrdersFunctions.sln";

    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"Could not find {SolutionFileName} above {AppContext.BaseDirectory}: " +
            "run the tests from inside the repository.");
    }
}
