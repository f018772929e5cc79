using Microsoft.Extensions.Configuration;
using OrdersFunctions.App.Hosting;

namespace OrdersFunctions.App.Tests;

/// <summary>Under the Functions host the worker reads host.json itself, below app settings, so its operator surface
/// judges the trigger by the options the host's extension runs with.</summary>
public sealed class HostJsonLayerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("host-json-layer-");

    [Fact]
    public void HostJsonOptions_ReachTheWorkersConfiguration_AndAppSettingsStillWin()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "host.json"),
            """
            { "version": "2.0", "extensions": { "redisStreams": { "claimMinIdle": "00:00:07", "maxDeliveries": 3 } } }
            """);
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:redisStreams:maxDeliveries"] = "9",
        });

        HostJsonLayer.AddTo(configuration, _folder.FullName);

        Assert.Equal("00:00:07", configuration["AzureFunctionsJobHost:extensions:redisStreams:claimMinIdle"]);
        Assert.Equal("9", configuration["AzureFunctionsJobHost:extensions:redisStreams:maxDeliveries"]);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
