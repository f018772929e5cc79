namespace OrdersFunctions.Build.Tests;

/// <summary>The repository these tests run from: the folder above them that holds OrdersFunctions.sln.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrdersFunctions.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No OrdersFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
