using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrdersFunctions.RedisStreams.Testing.Servers;

/// <summary>
/// A self-signed certificate for 127.0.0.1 written as PEM files, for a redis-server with a TLS port
/// (<see cref="RedisArguments"/>). No client trusts it, which is itself a case to test. Deleted on dispose.
/// </summary>
public sealed class TlsCertificateFiles : IDisposable
{
    private readonly string _directory;

    public TlsCertificateFiles()
    {
        _directory = Directory.CreateTempSubdirectory("orders-redis-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        CertificateFile = Path.Combine(_directory, "redis.crt");
        KeyFile = Path.Combine(_directory, "redis.key");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    /// <summary>Extra redis-server arguments for a TLS port beside the plain one, with client certificates
    /// off.</summary>
    public IReadOnlyList<string> RedisArguments(int tlsPort) =>
    [
        "--tls-port", tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--tls-cert-file", CertificateFile,
        "--tls-key-file", KeyFile,
        "--tls-auth-clients", "no",
    ];

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder eventually.
        }
    }
}
