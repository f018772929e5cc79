using OrdersFunctions.RedisStreams.Configuration;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace OrdersFunctions.LocalHost;

/// <summary>The HTTP port: Core Tools' <c>Host.LocalHttpPort</c> in <c>local.settings.json</c>, and whether it is
/// free.</summary>
public static class LocalHttpPort
{
    /// <summary><c>Host.LocalHttpPort</c> of a <c>local.settings.json</c> (a number, or a string of digits), or null
    /// when the file does not set it.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, or the setting is not a port number.</exception>
    public static int? Read(string settingsFile)
    {
        using var document = SettingsJson.Parse(settingsFile, LocalSettings.SampleHint);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("Host", out var host) || host.ValueKind != JsonValueKind.Object
            || !host.TryGetProperty("LocalHttpPort", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and < 65536
            ? port
            : throw new InvalidDataException(
                $"{settingsFile}: Host.LocalHttpPort is '{text}': " +
                "it must be a port number from 1 to 65535, e.g. 7071.");
    }

    /// <summary>True when something already listens on the loopback port (checked by binding it for a moment), so the
    /// host can say so in one line before it starts anything, instead of failing later in Kestrel.</summary>
    public static bool IsInUse(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException ex)
            when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return true;
        }
    }
}
