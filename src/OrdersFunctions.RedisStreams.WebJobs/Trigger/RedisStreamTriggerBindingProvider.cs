using System.Reflection;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Configuration;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.RedisStreams.WebJobs;

/// <summary>
/// Turns a parameter marked <see cref="RedisStreamTriggerAttribute"/> into a <see cref="RedisStreamTriggerBinding"/>.
/// Runs at indexing: every configuration mistake throws here, naming the function and the fix, so the host reports
/// "Error indexing method 'Functions.X'" with that message and disables only that function.
/// </summary>
public sealed class RedisStreamTriggerBindingProvider : ITriggerBindingProvider
{
    private readonly IConfiguration _configuration;
    private readonly INameResolver _nameResolver;
    private readonly RedisConnectionFactoryCache _connections;
    private readonly ILoggerFactory _loggerFactory;
    private readonly RedisStreamTriggerOptionsResolver _optionsResolver;

    public RedisStreamTriggerBindingProvider(
        IConfiguration configuration,
        INameResolver nameResolver,
        RedisConnectionFactoryCache connections,
        ILoggerFactory loggerFactory)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _nameResolver = nameResolver ?? throw new ArgumentNullException(nameof(nameResolver));
        _connections = connections ?? throw new ArgumentNullException(nameof(connections));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _optionsResolver = new RedisStreamTriggerOptionsResolver(configuration);
    }

    public Task<ITriggerBinding?> TryCreateAsync(TriggerBindingProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameter = context.Parameter;
        var attribute = parameter.GetCustomAttribute<RedisStreamTriggerAttribute>(inherit: false);
        if (attribute is null)
            return Task.FromResult<ITriggerBinding?>(null);

        var functionName = FunctionNameOf(parameter);
        var batched = IsBatch(parameter.ParameterType);
        if (attribute.IsBatched && !batched)
            throw new InvalidOperationException(
                $"The RedisStreamTrigger on function '{functionName}' has IsBatched = true, but its parameter '{parameter.Name}' is a {parameter.ParameterType.Name}: take an array (e.g. string[], byte[][], StreamMessage[] or an array of your payload type), or remove IsBatched.");
        var plan = Plan(functionName, attribute);
        var binding = new RedisStreamTriggerBinding(parameter, functionName, plan.Options, plan.ScaleOptions,
            plan.Connections, _loggerFactory, batched);
        return Task.FromResult<ITriggerBinding?>(binding);
    }

    /// <summary>Everything a function's listener and scalers run with, resolved from the attribute and the
    /// configuration; throws with every configuration mistake, naming the function and the fix.</summary>
    internal RedisStreamFunctionPlan Plan(string functionName, RedisStreamTriggerAttribute attribute)
    {
        var resolved = ResolveSettingReferences(attribute, functionName);
        var (options, scaleOptions) = CreateOptions(functionName, resolved);
        var connectionString = ReadConnectionString(functionName, resolved.Connection);

        IRedisConnectionFactory connections;
        try
        {
            connections = _connections.Get(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"The Redis connection string in setting '{resolved.Connection}' for function '{functionName}' is not valid: {ex.Message}", ex);
        }
        return new RedisStreamFunctionPlan(options, scaleOptions, connections);
    }

    /// <summary>
    /// An array parameter (other than <c>byte[]</c>, which is one binary payload) takes a batch. That is also how the
    /// Functions host says so: for a worker function with <c>IsBatched = true</c> it writes <c>cardinality: many</c> and
    /// asks this binding for <c>string[]</c>, <c>byte[][]</c> or <c>object[]</c>; the attribute's IsBatched never reaches
    /// the host.
    /// </summary>
    internal static bool IsBatch(Type parameterType) =>
        parameterType.IsArray && parameterType != typeof(byte[]) && parameterType.GetArrayRank() == 1;

    /// <summary>The Functions host names its generated methods with <see cref="FunctionNameAttribute"/>; plain WebJobs
    /// hosts use the method name.</summary>
    internal static string FunctionNameOf(ParameterInfo parameter) =>
        parameter.Member.GetCustomAttribute<FunctionNameAttribute>()?.Name ?? parameter.Member.Name;

    private RedisStreamTriggerAttribute ResolveSettingReferences(RedisStreamTriggerAttribute attribute, string functionName)
    {
        string? Resolve(string? value, string property)
        {
            if (string.IsNullOrEmpty(value))
                return value;
            try
            {
                return _nameResolver.ResolveWholeString(value);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException(
                    $"{property} '{value}' of the RedisStreamTrigger on function '{functionName}' cannot be resolved: {ex.Message} Define the app setting it names.", ex);
            }
        }

        return new RedisStreamTriggerAttribute(attribute.Connection, Resolve(attribute.Key, nameof(attribute.Key))!)
        {
            ConsumerGroup = Resolve(attribute.ConsumerGroup, nameof(attribute.ConsumerGroup)),
            BatchSize = attribute.BatchSize,
            MaxConcurrency = attribute.MaxConcurrency,
            MaxDeliveries = attribute.MaxDeliveries,
            ClaimMinIdle = Resolve(attribute.ClaimMinIdle, nameof(attribute.ClaimMinIdle)),
            RetryBackoffInitial = Resolve(attribute.RetryBackoffInitial, nameof(attribute.RetryBackoffInitial)),
            DeadLetterStream = Resolve(attribute.DeadLetterStream, nameof(attribute.DeadLetterStream)),
            StartPosition = Resolve(attribute.StartPosition, nameof(attribute.StartPosition)),
            IsBatched = attribute.IsBatched,
            MaxBatchSize = attribute.MaxBatchSize,
            MaxBatchWait = Resolve(attribute.MaxBatchWait, nameof(attribute.MaxBatchWait)),
        };
    }

    private (StreamSubscriberOptions Options, RedisStreamScaleOptions ScaleOptions) CreateOptions(string functionName,
        RedisStreamTriggerAttribute attribute)
    {
        // Every problem at once, so one indexing error tells the developer all there is to fix.
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(attribute.Key))
            problems.Add($"Stream key is empty for function '{functionName}': set the key of its RedisStreamTrigger (e.g. \"orders-placed\" or \"%OrdersStream%\" with that app setting defined).");
        if (string.IsNullOrWhiteSpace(attribute.ConsumerGroup))
            problems.Add($"Consumer group name is empty for function '{functionName}': set ConsumerGroup on its RedisStreamTrigger.");

        var errors = new List<string>();
        var options = _optionsResolver.Resolve(functionName, attribute, errors);
        // An empty stream or group is reported above, in the trigger's own words.
        errors.AddRange(StreamSubscriberOptionsValidator.Check(options).Where(e =>
            !(e.StartsWith($"{nameof(StreamSubscriberOptions.Stream)} is empty", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(attribute.Key)) &&
            !(e.StartsWith($"{nameof(StreamSubscriberOptions.Group)} is empty", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(attribute.ConsumerGroup))));
        var scaleOptions = RedisStreamScaleOptionsReader.Read(_configuration, functionName, errors);
        if (errors.Count > 0)
            problems.Add($"The RedisStreamTrigger on function '{functionName}' has invalid options: {string.Join(" ", errors)}");
        if (problems.Count > 0)
            throw new InvalidOperationException(string.Join(" ", problems));
        return (options, scaleOptions);
    }

    private string ReadConnectionString(string functionName, string? settingName)
    {
        if (string.IsNullOrWhiteSpace(settingName))
            throw new InvalidOperationException(
                $"The RedisStreamTrigger on function '{functionName}' names no connection setting: set its connection to the name of an app setting, e.g. \"RedisConnection\".");
        var value = _configuration.GetConnectionStringOrSetting(settingName);
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"App setting '{settingName}' for function '{functionName}' is missing or empty: set it to a StackExchange.Redis connection string (e.g. \"localhost:6379\").");
        return value;
    }
}
