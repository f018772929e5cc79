using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OrdersFunctions.App.Http;
using OrdersFunctions.Operations.DeadLetters;
using OrdersFunctions.Operations.Topology;
using OrdersFunctions.RedisStreams.DeadLetters;
using StackExchange.Redis;

namespace OrdersFunctions.App.Ops;

/// <summary>
/// What the replay and discard functions share: the cross-origin guard, the bounded body and its validation, the
/// stream check and the Redis-down answer. The functions differ only in the store call they pass in.
/// </summary>
public sealed class DeadLetterActions(DeadLetterStore store, OpsTopology topology, RedisGate redis)
{
    /// <summary>One dead letter: <paramref name="action"/> gets the dead-letter stream, the id and
    /// <c>force</c>.</summary>
    public async Task<IActionResult> OneAsync(HttpRequest request, string id,
        Func<DeadLetterStore, string, string, bool, CancellationToken, Task<DeadLetterActionResult>> action,
        CancellationToken cancellationToken)
    {
        if (OpsWriteGuard.Refusal(request, requireJson: false) is { } refusal)
            return refusal;
        var bytes = await BoundedBody.ReadAsync(request, OpsAnswers.MaxBodyBytes, cancellationToken);
        if (bytes is null)
            return OpsAnswers.TooLarge();
        var body = DeadLetterFilter.ForceFromJsonBody(bytes);
        if (!body.IsValid)
            return OpsAnswers.BadFilter(body.Errors);
        var stream = OpsAnswers.RequestedStream(request, topology.DefaultStream);
        var streamError = stream is null ? "Name the source stream with ?stream=." : topology.StreamError(stream);
        if (streamError is not null)
            return OpsAnswers.BadFilter(new Dictionary<string, string[]> { ["stream"] = [streamError] });
        if (redis.Problem is { } down)
            return OpsAnswers.RedisDown(request, down);
        try
        {
            return OpsAnswers.Of(
                await action(store, topology.DeadLetterStreamFor(stream!), id, body.Force, cancellationToken),
                store.ReplayCap);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return OpsAnswers.RedisDown(request, redis.Describe(ex));
        }
    }

    /// <summary>Every dead letter the body's filters match: <paramref name="action"/> gets the query, <c>dryRun</c> and
    /// <c>force</c>.</summary>
    public async Task<IActionResult> MatchingAsync(HttpRequest request,
        Func<DeadLetterStore, DeadLetterQuery, bool, bool, CancellationToken, Task<DeadLetterBulkResult>> action,
        CancellationToken cancellationToken)
    {
        if (OpsWriteGuard.Refusal(request, requireJson: true) is { } refusal)
            return refusal;
        var bytes = await BoundedBody.ReadAsync(request, OpsAnswers.MaxBodyBytes, cancellationToken);
        if (bytes is null)
            return OpsAnswers.TooLarge();
        var filter = DeadLetterFilter.FromJsonBody(bytes, topology);
        if (!filter.IsValid)
            return OpsAnswers.BadFilter(filter.Errors);
        if (redis.Problem is { } down)
            return OpsAnswers.RedisDown(request, down);
        try
        {
            return OpsAnswers.Of(await action(store, filter.Query!, filter.DryRun, filter.Force, cancellationToken));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return OpsAnswers.RedisDown(request, redis.Describe(ex));
        }
    }
}
