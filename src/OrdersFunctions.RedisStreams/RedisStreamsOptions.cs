using Microsoft.Extensions.Options;
using OrdersFunctions.RedisStreams.Publishing;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams;

/// <summary>What <c>AddRedisStreams</c> registers: the connection and
/// the publisher's trimming.</summary>
public sealed class RedisStreamsOptions
{
    /// <summary>
    /// The StackExchange.Redis connection string (single server or cluster; password and TLS in it). Required.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The app setting <see cref="ConnectionString"/> comes from (e.g. <c>RedisConnection</c>), or null. When set, the
    /// connection's problems name it, and a value that cannot be a connection (unset, an unresolved Key Vault
    /// reference, not connection-string syntax) does not fail validation: the registered factory reports it wherever
    /// Redis is needed (<see cref="Redis.RedisConnectionFactory.ForSetting"/>), so an app can start and answer 503
    /// naming it. Refusing to start on an unset setting is then the app's own check.
    /// </summary>
    public string? ConnectionSettingName { get; set; }

    /// <summary>Trimming applied by the registered <see cref="IStreamPublisher"/>. Default: none.</summary>
    public StreamPublisherOptions Publisher { get; set; } = new();
}

/// <summary>Checks <see cref="RedisStreamsOptions"/> and reports every problem at once; never changes them.</summary>
public sealed class RedisStreamsOptionsValidator : IValidateOptions<RedisStreamsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisStreamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.ConnectionSettingName is not null)
        {
            // The factory names the setting's problems where Redis is needed (see ConnectionSettingName).
        }
        else if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add(
                "ConnectionString is empty: set it to a StackExchange.Redis connection string, e.g. 'localhost:6379'.");
        }
        else
        {
            try
            {
                if (ConfigurationOptions.Parse(options.ConnectionString).EndPoints.Count == 0)
                    errors.Add("ConnectionString names no endpoint: give at least one host:port.");
            }
            catch (ArgumentException ex)
            {
                errors.Add($"ConnectionString is not valid StackExchange.Redis syntax: {ex.Message}");
            }
        }
        if (options.Publisher is null)
            errors.Add("Publisher is null: leave it at its default for no trimming.");
        else
            errors.AddRange(options.Publisher.Validate().Select(e => "Publisher." + e));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
