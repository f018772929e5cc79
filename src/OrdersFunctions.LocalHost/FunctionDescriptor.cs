using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using OrdersFunctions.RedisStreams.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>One <c>[Function]</c> method of the app and its trigger.</summary>
public sealed record FunctionDescriptor(string Name, MethodInfo Method, ParameterInfo TriggerParameter)
{
    public HttpTriggerAttribute? HttpTrigger => TriggerParameter.GetCustomAttribute<HttpTriggerAttribute>();

    public RedisConsumerGroupTriggerAttribute? StreamTrigger =>
        TriggerParameter.GetCustomAttribute<RedisConsumerGroupTriggerAttribute>();

    /// <summary>A stable id per function (the Functions host uses a hash of the name as well).</summary>
    public string Id { get; } = Convert.ToHexString(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Name)))[..16]
        .ToLowerInvariant();
}
