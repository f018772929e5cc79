namespace OrdersFunctions.Bench.Scale;

/// <summary>Where the repository and the built instances are: the local host and the app, from their own build output
/// in this program's configuration (bin/{Configuration}/net10.0 of each project).</summary>
public sealed record RepositoryLayout(string Root, string Configuration)
{
    public string LocalHostDll => Built("src/OrdersFunctions.LocalHost", "OrdersFunctions.LocalHost.dll");

    public string AppDll => Built("functions/OrdersFunctions.App", "OrdersFunctions.App.dll");

    /// <summary>The app's functions.metadata, written by the Worker SDK: what the Functions host indexes.</summary>
    public string FunctionsMetadata => Path.Combine(Path.GetDirectoryName(AppDll)!, "functions.metadata");

    /// <summary>The app's host.json as built (the one the instances read).</summary>
    public string HostJson => Path.Combine(Path.GetDirectoryName(AppDll)!, "host.json");

    /// <summary>Found from this assembly's folder (…/bin/{Configuration}/net10.0/) upwards.</summary>
    public static RepositoryLayout FromBuildOutput()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var directory = baseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrdersFunctions.sln")))
            directory = directory.Parent;
        if (directory is null)
            throw new InvalidOperationException($"OrdersFunctions.sln not found above {AppContext.BaseDirectory}.");
        return new RepositoryLayout(directory.FullName, baseDirectory.Parent!.Name);
    }

    private string Built(string project, string file)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new InvalidOperationException(
            $"{path} does not exist: build {project} first (dotnet build -c {Configuration} {project}).");
    }
}
