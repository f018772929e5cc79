using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.App.Hosting;

/// <summary>
/// The worker's view of host.json. The Functions host reads host.json itself and does not hand it to the isolated
/// worker, so without this the worker's operator surface would judge the trigger by options other than the ones the
/// host's extension runs with. Added as the lowest layer, where the host has it: app settings and environment
/// variables still win. The local host adds host.json itself and never runs this.
/// </summary>
public static class HostJsonLayer
{
    /// <exception cref="InvalidDataException">host.json is not valid JSON (one line with the file and the
    /// line).</exception>
    public static void AddTo(IConfigurationManager configuration, string appDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = Path.Combine(appDirectory, HostJsonSettings.FileName);
        if (!File.Exists(path))
            return;
        configuration.Sources.Insert(0,
            new MemoryConfigurationSource { InitialData = HostJsonSettings.ReadExtensionSettings(path) });
    }
}
