namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>Paths of the files the infrastructure tests read, found from the repository root.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> Root = new(RepositoryRoot.Find);

    public static string RootDirectory => Root.Value;

    public static string InfraDirectory => Path.Combine(RootDirectory, "infra");

    public static string MainBicep => Path.Combine(InfraDirectory, "main.bicep");

    /// <summary>The single source of truth for the app setting names (its <c>Values</c> object).</summary>
    public static string SampleSettings => Path.Combine(RootDirectory, "local.settings.sample.json");
}
