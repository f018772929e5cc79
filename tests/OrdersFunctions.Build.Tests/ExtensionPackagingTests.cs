namespace OrdersFunctions.Build.Tests;

/// <summary>
/// The packed extension's version is a hash of its sources (build/LocalFeedVersion.proj), and NuGet never re-extracts
/// a version it already holds. These build the Functions app in a private copy of the repository and check that a
/// changed extension reaches the app's .azurefunctions/ with no cache cleared by hand, that a Release build in between
/// does not leak into the next Debug build, and that a build with nothing changed packs, restores and builds nothing.
/// </summary>
public sealed class ExtensionPackagingTests(RepositoryCopy repo) : IClassFixture<RepositoryCopy>
{
    private const string Debug = "Debug";
    private const string Release = "Release";

    [Fact]
    public async Task NoChangeRebuild_PacksNothing_AndNeitherRestoresNorBuildsWorkerExtensions()
    {
        await repo.BuildAppAsync(Debug);
        var before = repo.PackagingFootprint(Debug);

        var rebuild = await repo.BuildAppAsync(Debug);

        var after = repo.PackagingFootprint(Debug);
        var changed = after.Except(before).Concat(before.Except(after).Select(f => "gone: " + f)).ToList();
        Assert.True(changed.Count == 0, "A build with nothing changed wrote these again (file, last write time):\n" +
            string.Join('\n', changed));
        Assert.DoesNotContain("Successfully created package", rebuild.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("WorkerExtensions ->", rebuild.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(RepositoryCopy.Hash(repo.Built(Debug)), RepositoryCopy.Hash(repo.Packed(Debug)));
    }

    [Fact]
    public async Task ChangedExtensionCode_ReachesTheAppsAzureFunctionsFolder_WithoutClearingCaches()
    {
        await repo.BuildAppAsync(Debug);
        var first = RepositoryCopy.Hash(repo.Packed(Debug));
        var firstPackage = Assert.Single(repo.FeedPackages(RepositoryCopy.ExtensionPackageId, Debug));

        repo.ChangeExtension();
        await repo.BuildAppAsync(Debug);

        Assert.NotEqual(first, RepositoryCopy.Hash(repo.Built(Debug)));
        Assert.True(RepositoryCopy.Hash(repo.Built(Debug)) == RepositoryCopy.Hash(repo.Packed(Debug)),
            "After a change to the extension, the app's .azurefunctions/ still holds the previous build: " +
            "the packed version did not change with the sources.");
        // A new version, and the older one pruned from local-feed/.
        Assert.NotEqual(firstPackage, Assert.Single(repo.FeedPackages(RepositoryCopy.ExtensionPackageId, Debug)));
    }

    [Fact]
    public async Task DebugBuildAfterAReleaseBuild_AppHoldsTheDebugExtension_NotTheReleaseOne()
    {
        // Both configurations pack into the one local feed; the Release build (as the publish test does) leaves its
        // packages there, and the next Debug build must not hand them to the Debug app.
        await repo.BuildAppAsync(Debug);
        await repo.BuildAppAsync(Release);
        Assert.NotEqual(RepositoryCopy.Hash(repo.Built(Debug)), RepositoryCopy.Hash(repo.Built(Release)));
        Assert.Equal(RepositoryCopy.Hash(repo.Built(Release)), RepositoryCopy.Hash(repo.Packed(Release)));

        await repo.BuildAppAsync(Debug);

        Assert.True(RepositoryCopy.Hash(repo.Built(Debug)) == RepositoryCopy.Hash(repo.Packed(Debug)),
            "After a Release build, the Debug app's .azurefunctions/ holds another build of the extension " +
            "(the Release one?).");
        Assert.Equal(RepositoryCopy.Hash(repo.Built(Debug, engine: true)),
            RepositoryCopy.Hash(repo.Packed(Debug, engine: true)));
    }
}
