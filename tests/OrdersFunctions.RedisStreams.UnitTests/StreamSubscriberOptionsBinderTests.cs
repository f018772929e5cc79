using Microsoft.Extensions.Configuration;
using OrdersFunctions.RedisStreams.Configuration;

namespace OrdersFunctions.RedisStreams.UnitTests;

public sealed class StreamSubscriberOptionsBinderTests
{
    private static readonly KeyValuePair<string, string?>[] NoExplicitValues = [];

    [Theory]
    [InlineData("BatchSize", "17")]
    [InlineData("MaxConcurrency", "3")]
    [InlineData("MaxDeliveries", "9")]
    [InlineData("BlockTimeout", "00:00:02")]
    [InlineData("ClaimMinIdle", "00:01:00")]
    [InlineData("ClaimInterval", "00:00:07")]
    [InlineData("RetryBackoffInitial", "00:00:00.250")]
    [InlineData("RetryBackoffMax", "00:00:20")]
    [InlineData("ShutdownTimeout", "00:00:04")]
    [InlineData("ConsumerIdleTimeout", "02:00:00")]
    [InlineData("DeadLetterStream", "orders:poison")]
    [InlineData("Consumer", "instance-7")]
    [InlineData("StartPosition", "NewEntriesOnly")]
    [InlineData("Retention", "True")]
    [InlineData("RetentionMinAge", "00:05:00")]
    [InlineData("RetentionMaxAge", "06:00:00")]
    [InlineData("RetentionMaxLength", "100000")]
    [InlineData("RetentionInterval", "00:00:30")]
    [InlineData("DeadLetterMaxAge", "7.00:00:00")]
    public void Apply_EachOptionName_SetsThatOption(string name, string value)
    {
        var options = new StreamSubscriberOptions();
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Apply(options, Section(("S:" + name, value)), errors);

        Assert.Empty(errors);
        Assert.Equal(value, OptionText(options, name));
    }

    [Fact]
    public void OptionNames_CoverEveryTunableOption()
    {
        // Stream and Group come from the trigger, never from a shared section.
        var settable = typeof(StreamSubscriberOptions).GetProperties()
            .Where(p => p.CanWrite
                && p.Name is not (nameof(StreamSubscriberOptions.Stream))
                    and not (nameof(StreamSubscriberOptions.Group)))
            .Select(p => p.Name)
            .Order();

        Assert.Equal(settable, StreamSubscriberOptionsBinder.OptionNames.Order());
    }

    [Fact]
    public void Apply_OptionNames_AreCaseInsensitive()
    {
        var options = new StreamSubscriberOptions();
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Apply(
            options, Section(("S:maxDELIVERIES", "4"), ("S:startposition", "newentriesonly")), errors);

        Assert.Empty(errors);
        Assert.Equal(4, options.MaxDeliveries);
        Assert.Equal(StreamStartPosition.NewEntriesOnly, options.StartPosition);
    }

    [Fact]
    public void Apply_EmptyValuesAndSubsections_LeaveTheOptionsAlone()
    {
        var options = new StreamSubscriberOptions();
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Apply(
            options, Section(("S:MaxDeliveries", " "), ("S:Functions:F:MaxDeliveries", "2")), errors);

        Assert.Empty(errors);
        Assert.Equal(StreamSubscriberOptions.DefaultMaxDeliveries, options.MaxDeliveries);
    }

    [Fact]
    public void Apply_UnknownNames_AreIgnoredWithoutError()
    {
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Apply(new StreamSubscriberOptions(), Section(("S:MaxLength", "many")), errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void Apply_UnparsableValues_AreAllCollected_EachNamingItsKey()
    {
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.Apply(new StreamSubscriberOptions(),
            Section(("S:BatchSize", "lots"), ("S:ClaimMinIdle", "soon"), ("S:StartPosition", "7")), errors);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("setting 'S__BatchSize' is 'lots'", StringComparison.Ordinal)
                                     && e.Contains("whole number"));
        Assert.Contains(errors, e => e.StartsWith("setting 'S__ClaimMinIdle' is 'soon'", StringComparison.Ordinal)
                                     && e.Contains("time span"));
        Assert.Contains(errors, e => e.StartsWith("setting 'S__StartPosition' is '7'", StringComparison.Ordinal)
                                     && e.Contains("Beginning, NewEntriesOnly"));
    }

    [Fact]
    public void Set_UnknownName_ReturnsFalse()
    {
        var errors = new List<string>();

        Assert.False(StreamSubscriberOptionsBinder.Set(new StreamSubscriberOptions(), "Stream", "x", "here", errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void ApplyLayers_AppWideSections_LaterOnesWin()
    {
        var configuration = Configuration(("A:MaxDeliveries", "2"), ("A:BatchSize", "3"), ("B:MaxDeliveries", "4"));
        var options = new StreamSubscriberOptions();

        StreamSubscriberOptionsBinder.ApplyLayers(options,
            [configuration.GetSection("A"), configuration.GetSection("B")],
            NoExplicitValues, "the attribute", null, new List<string>());

        Assert.Equal((4, 3), (options.MaxDeliveries, options.BatchSize));
    }

    [Fact]
    public void ApplyLayers_ExplicitValues_OverrideAppWideSections()
    {
        var configuration = Configuration(("A:MaxDeliveries", "2"), ("A:BatchSize", "3"));
        var options = new StreamSubscriberOptions();

        StreamSubscriberOptionsBinder.ApplyLayers(options, [configuration.GetSection("A")],
            [new("MaxDeliveries", "6")], "the attribute", null, new List<string>());

        Assert.Equal((6, 3), (options.MaxDeliveries, options.BatchSize));
    }

    [Fact]
    public void ApplyLayers_PerFunctionSection_OverridesExplicitValues()
    {
        var configuration = Configuration(("A:MaxDeliveries", "2"), ("F:MaxDeliveries", "8"));
        var options = new StreamSubscriberOptions();

        StreamSubscriberOptionsBinder.ApplyLayers(options, [configuration.GetSection("A")],
            [new("MaxDeliveries", "6")], "the attribute", configuration.GetSection("F"), new List<string>());

        Assert.Equal(8, options.MaxDeliveries);
    }

    [Fact]
    public void ApplyLayers_NothingSet_KeepsTheDefaults()
    {
        var configuration = Configuration();
        var options = new StreamSubscriberOptions();

        StreamSubscriberOptionsBinder.ApplyLayers(options, [configuration.GetSection("A")],
            [new("MaxDeliveries", "")], "the attribute", configuration.GetSection("F"), new List<string>());

        Assert.Equal(StreamSubscriberOptions.DefaultMaxDeliveries, options.MaxDeliveries);
        Assert.Equal(StreamSubscriberOptions.DefaultClaimMinIdle, options.ClaimMinIdle);
    }

    [Fact]
    public void ApplyLayers_ErrorsFromEveryLayer_AreAllCollected()
    {
        var configuration = Configuration(("A:BatchSize", "x"), ("F:MaxConcurrency", "y"));
        var errors = new List<string>();

        StreamSubscriberOptionsBinder.ApplyLayers(new StreamSubscriberOptions(), [configuration.GetSection("A")],
            [new("ClaimMinIdle", "soon")], "the attribute", configuration.GetSection("F"), errors);

        Assert.Equal(
            [
                "setting 'A__BatchSize' is 'x'",
                "ClaimMinIdle on the attribute is 'soon'",
                "setting 'F__MaxConcurrency' is 'y'",
            ],
            errors.Select(e => e[..e.IndexOf(':', e.IndexOf(" is '", StringComparison.Ordinal))]));
    }

    [Fact]
    public void ExplicitValuesOf_TakesSetOptionProperties_AndSkipsZeroEmptyAndOtherProperties()
    {
        var source = new AttributeLike
        {
            Key = "orders", MaxDeliveries = 3, BatchSize = 0, ClaimMinIdle = "00:00:01", DeadLetterStream = "",
        };

        var values = StreamSubscriberOptionsBinder.ExplicitValuesOf(source);

        Assert.Equal(
            [new("MaxDeliveries", "3"), new("ClaimMinIdle", "00:00:01")],
            values.OrderByDescending(kv => kv.Key));
    }

    private sealed class AttributeLike
    {
        public string? Key { get; init; }
        public int BatchSize { get; init; }
        public int MaxDeliveries { get; init; }
        public string? ClaimMinIdle { get; init; }
        public string? DeadLetterStream { get; init; }
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    private static IConfigurationSection Section(params (string Key, string Value)[] settings) =>
        Configuration(settings).GetSection("S");

    private static string? OptionText(StreamSubscriberOptions options, string name) =>
        typeof(StreamSubscriberOptions).GetProperty(name)!.GetValue(options) switch
        {
            TimeSpan t => t.ToString(
                t.Milliseconds == 0 ? "c" : @"hh\:mm\:ss\.fff", System.Globalization.CultureInfo.InvariantCulture),
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
        };
}
