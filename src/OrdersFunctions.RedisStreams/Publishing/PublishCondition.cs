using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// Publish only while <see cref="Key"/> holds exactly <see cref="ExpectedValue"/>, e.g. a reservation this caller made:
/// if the reservation expired and someone else took the key, nothing is published twice.
/// </summary>
/// <param name="Key">A string key; in a Redis Cluster it must share the stream's hash slot
/// (<see cref="StreamKeys.SlotPrefix"/>).</param>
/// <param name="ExpectedValue">The value the key must hold.</param>
public sealed record PublishCondition(string Key, string ExpectedValue);
