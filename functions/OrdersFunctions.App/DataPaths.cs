using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.App;

/// <summary>
/// Where relative data paths (<c>Spreadsheet__CsvPath</c>, <c>Notifications__OutboxPath</c>) resolve, the same under
/// every host. The worker's working directory differs between them (the repository root under the local host,
/// <c>functions/OrdersFunctions.App/bin/Debug/net10.0</c> under <c>func start</c>, <c>/home/site/wwwroot</c> in Azure),
/// so it is not used directly: the root is the setting <see cref="RootSetting"/> when set, else the nearest folder at
/// or above the working directory holding <see cref="RepositoryMarker"/> (the repository root), else the working
/// directory. Absolute paths are used as they are (Azure's settings are absolute, under the shared <c>/home</c>).
/// </summary>
public static class DataPaths
{
    /// <summary>App setting: the folder relative data paths resolve against.</summary>
    public const string RootSetting = "DataRoot";

    /// <summary>The file that marks the repository root (it is committed; the build output does not have it).</summary>
    public const string RepositoryMarker = "local.settings.sample.json";

    /// <summary>The folder relative data paths resolve against, starting the search at
    /// <paramref name="workingDirectory"/>.</summary>
    public static string Root(IConfiguration configuration, string workingDirectory)
    {
        if (configuration[RootSetting] is { } configured && !string.IsNullOrWhiteSpace(configured))
            return Path.GetFullPath(configured.Trim(), workingDirectory);
        for (var folder = new DirectoryInfo(workingDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, RepositoryMarker)))
                return folder.FullName;
        }
        return Path.GetFullPath(workingDirectory);
    }

    /// <summary><paramref name="path"/> if absolute, else under <paramref name="root"/>.</summary>
    public static string Resolve(string path, string root) => Path.GetFullPath(path, root);
}
