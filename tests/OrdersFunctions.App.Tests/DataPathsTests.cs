using Microsoft.Extensions.Configuration;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// Relative data paths resolve against the same folder whichever host runs the app and wherever it starts.
/// </summary>
public sealed class DataPathsTests : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("data-paths-").FullName;

    [Fact]
    public void Root_FromTheBuildOutputUnderTheRepository_IsTheRepositoryRoot()
    {
        File.WriteAllText(Path.Combine(_repository, DataPaths.RepositoryMarker), "{}");
        var output = Directory.CreateDirectory(
            Path.Combine(_repository, "functions", "OrdersFunctions.App", "bin", "Debug", "net10.0")).FullName;

        Assert.Equal(_repository, DataPaths.Root(Settings(), output));
    }

    [Fact]
    public void Root_DataRootSetting_WinsOverTheRepositoryRoot()
    {
        File.WriteAllText(Path.Combine(_repository, DataPaths.RepositoryMarker), "{}");
        var elsewhere = Directory.CreateDirectory(Path.Combine(_repository, "elsewhere")).FullName;

        Assert.Equal(elsewhere, DataPaths.Root(Settings((DataPaths.RootSetting, elsewhere)), _repository));
    }

    [Fact]
    public void Root_OutsideAnyRepository_IsTheWorkingDirectory()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_repository, "site", "wwwroot")).FullName;

        Assert.Equal(folder, DataPaths.Root(Settings(), folder));
    }

    [Fact]
    public void Resolve_AbsolutePath_IsKept()
    {
        var absolute = Path.Combine(_repository, "x.csv");

        Assert.Equal(absolute, DataPaths.Resolve(absolute, "/somewhere/else"));
    }

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
