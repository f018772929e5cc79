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
/// Turns a parameter marked <see cref="RedisConsumerGroupTriggerAttribute"/> into a
/// <see cref="RedisConsumerGroupTriggerBinding"/>. Runs at indexing: every configuration mistake throws here, naming
/// the function and the fix, so the host reports "Error indexing method 'Functions.X'" with that message and disables
/// only that function.
/// </summary>
public sealed class RedisConsumerGroupTriggerBindingProvider : ITriggerBindingProvider
{
    private readonly IConfiguration _configuration;
    private readonly INameResolver _nameResolver;
    private readonly RedisConnectionFactoryCache _connections;
    private readonly ILoggerFactory _loggerFactory;
    private readonly StreamOptionsResolver _resolver;

    public RedisConsumerGroupTriggerBindingProvider(
        IConfiguration configuration,
        INameResolver nameResolver,
        RedisConnectionFactoryCache connections,
        ILoggerFactory loggerFactory)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _nameResolver = nameResolver ?? throw new ArgumentNullException(nameof(nameResolver));
        _connections = connections ?? throw new ArgumentNullException(nameof(connections));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        // %Setting% and the connection setting resolve as the host resolves them everywhere else.
        _resolver = new StreamOptionsResolver(configuration, name =>
            nameResolver.Resolve(name) ?? configuration.GetConnectionStringOrSetting(name));
    }

    public Task<ITriggerBinding?> TryCreateAsync(TriggerBindingProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameter = context.Parameter;
        var attribute = parameter.GetCustomAttribute<RedisConsumerGroupTriggerAttribute>(inherit: false);
        if (attribute is null)
            return Task.FromResult<ITriggerBinding?>(null);

        var functionName = FunctionNameOf(parameter);
        var batched = IsBatch(parameter.ParameterType);
        if (attribute.IsBatched && !batched)
            throw new InvalidOperationException(
                $"The RedisConsumerGroupTrigger on function '{functionName}' has IsBatched = true, but its parameter " +
                $"'{parameter.Name}' is a {parameter.ParameterType.Name}: take an array " +
                "(e.g. string[], byte[][], StreamMessage[] or an array of your payload type), or remove IsBatched.");
        var plan = Plan(functionName, attribute);
        var binding = new RedisConsumerGroupTriggerBinding(parameter, functionName, plan.Options, plan.ScaleOptions,
            plan.Connections, _loggerFactory, batched);
        return Task.FromResult<ITriggerBinding?>(binding);
    }

    /// <summary>Everything a function's listener and scalers run with, resolved from the attribute and the
    /// configuration; throws with every configuration mistake, naming the function and the fix.</summary>
    internal RedisStreamFunctionPlan Plan(string functionName, RedisConsumerGroupTriggerAttribute attribute)
    {
        var resolved = _resolver.Resolve(
            StreamTriggerDeclaration.FromAttribute(
                functionName, attribute.Connection, attribute.Key, attribute.ConsumerGroup, attribute),
            FunctionsHostDefaults);
        var scaleErrors = new List<string>();
        var scaleOptions = RedisStreamScaleOptionsReader.Read(_configuration, functionName, scaleErrors);
        // Every problem in one indexing error, so one message tells the developer all there is to fix.
        var problems = resolved.Errors
            .Concat(scaleErrors.Select(e =>
                $"The RedisConsumerGroupTrigger of function '{functionName}' has an invalid option: {e}"))
            .ToList();
        if (problems.Count > 0)
            throw new InvalidOperationException(string.Join(" ", problems));

        // An unresolved Key Vault reference or a string that is not connection-string syntax: named as the app names
        // it (the setting and the fix, not the value), in the host's "Error indexing method" line.
        if (RedisConnectionProblem.OfSetting(attribute.Connection, resolved.ConnectionString) is { } problem)
            throw new InvalidOperationException($"Function '{functionName}' cannot listen: {problem.Message}");
        IRedisConnectionFactory connections;
        try
        {
            connections = _connections.Get(resolved.ConnectionString!, attribute.Connection);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"The Redis connection string in setting '{attribute.Connection}' for function '{functionName}' " +
                $"is not valid: {ex.Message}", ex);
        }
        return new RedisStreamFunctionPlan(resolved.Options, scaleOptions, connections);
    }

    /// <summary>
    /// An array parameter (other than <c>byte[]</c>, which is one binary payload) takes a batch. That is also how the
    /// Functions host says so: for a worker function with <c>IsBatched = true</c> it writes <c>cardinality: many</c>
    /// and asks this binding for <c>string[]</c>, <c>byte[][]</c> or <c>object[]</c>; the attribute's IsBatched never
    /// reaches the host.
    /// </summary>
    internal static bool IsBatch(Type parameterType) =>
        parameterType.IsArray && parameterType != typeof(byte[]) && parameterType.GetArrayRank() == 1;

    /// <summary>The Functions host names its generated methods with <see cref="FunctionNameAttribute"/>; plain WebJobs
    /// hosts use the method name.</summary>
    internal static string FunctionNameOf(ParameterInfo parameter) =>
        parameter.Member.GetCustomAttribute<FunctionNameAttribute>()?.Name ?? parameter.Member.Name;

    /// <summary>
    /// The Functions host's own default over the engine's: it stops listeners about 70 ms after SIGTERM and exits about
    /// 2 s after it, so in-flight invocations get 1.5 s to drain, and the acknowledgements of those that finished are
    /// still sent before the process goes. Configurable like every option (ShutdownTimeout).
    /// </summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(1.5);

    private static void FunctionsHostDefaults(StreamSubscriberOptions options) =>
        options.ShutdownTimeout = DefaultShutdownTimeout;
}
