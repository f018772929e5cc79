using System.Security.Cryptography;
using System.Text.Json;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>
/// The Worker SDK puts our host-side extension into a Functions app's output: extensions.json names our startup, and
/// .azurefunctions/ holds the extension exactly as this build made it (not a stale copy from the NuGet cache: the
/// packed version is a hash of the extension's sources, see Directory.Build.targets). What happens across builds (a
/// change, a Release build in between, a build with no change) is checked by tests/OrdersFunctions.Build.Tests.
/// </summary>
public sealed class PackagingTests
{
    [Fact]
    public void ExtensionsJson_NamesTheRedisStreamsStartup_WithItsHintPath()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(
            BuildOutputs.RequireFile(Path.Combine(BuildOutputs.TestApp, "extensions.json"))));

        var ours = json.RootElement.GetProperty("extensions").EnumerateArray()
            .Single(e => e.GetProperty("typeName").GetString()!
                .StartsWith(typeof(RedisStreamsWebJobsStartup).FullName + ",", StringComparison.Ordinal));
        Assert.Equal(
            "./.azurefunctions/OrdersFunctions.RedisStreams.WebJobs.dll", ours.GetProperty("hintPath").GetString());
    }

    [Fact]
    public void AzureFunctionsFolder_HoldsTheExtensionJustBuilt()
    {
        var packed = BuildOutputs.RequireFile(
            Path.Combine(BuildOutputs.TestApp, ".azurefunctions", "OrdersFunctions.RedisStreams.WebJobs.dll"));

        Assert.Equal(Hash(BuildOutputs.RequireFile(BuildOutputs.WebJobsAssembly)), Hash(packed));
    }

    [Fact]
    public void AzureFunctionsFolder_HoldsTheEngineJustBuilt_AndItsRedisClient()
    {
        var folder = Path.Combine(BuildOutputs.TestApp, ".azurefunctions");
        var packed = BuildOutputs.RequireFile(Path.Combine(folder, "OrdersFunctions.RedisStreams.dll"));

        Assert.Equal(Hash(BuildOutputs.RequireFile(BuildOutputs.EngineAssembly)), Hash(packed));
        Assert.True(File.Exists(Path.Combine(folder, "StackExchange.Redis.dll")),
            "StackExchange.Redis.dll is missing from .azurefunctions");
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
