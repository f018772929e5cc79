using System.Text;

namespace OrdersFunctions.RedisStreams.Testing.Contract;

/// <summary>A message a scenario publishes through the adapter.</summary>
/// <param name="MessageId">The publisher's message id (scenarios make it unique).</param>
/// <param name="Type">The message type; scenarios use it to steer handlers (e.g. <c>Poison</c>).</param>
/// <param name="Payload">The payload bytes.</param>
public sealed record ContractMessage(string MessageId, string Type, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Headers to publish with it.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A message with a new GUID id and a small JSON payload.</summary>
    public static ContractMessage Create(string type, int sequence) =>
        new(Guid.NewGuid().ToString("N"), type, Encoding.UTF8.GetBytes($"{{\"sequence\":{sequence}}}"));
}
