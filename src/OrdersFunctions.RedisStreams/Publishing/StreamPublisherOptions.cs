namespace OrdersFunctions.RedisStreams.Publishing;

/// <summary>
/// How <see cref="StreamPublisher"/> trims streams as it appends. Trimming is approximate (<c>~</c>): Redis removes
/// whole macro-nodes only, so the stream may hold a little more than asked, at a fraction of the cost.
/// At most one of <see cref="MaxLength"/> and <see cref="MinIdAge"/> may be set; neither (the default) means no
/// trimming. Trimming removes entries whether or not every group has handled them: size it well above the worst
/// backlog.
/// </summary>
public sealed class StreamPublisherOptions
{
    /// <summary>Keep about this many newest entries (<c>XADD … MAXLEN ~ n</c>). Null: no length cap.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Drop entries older than this (<c>XADD … MINID ~ now-age</c>). Null: no age cap.</summary>
    public TimeSpan? MinIdAge { get; set; }

    /// <summary>The problems with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxLength is <= 0)
            errors.Add($"MaxLength is {MaxLength}: it must be positive, or unset for no length cap.");
        if (MinIdAge is { } age && age <= TimeSpan.Zero)
            errors.Add($"MinIdAge is {age}: it must be positive, or unset for no age cap.");
        if (MaxLength is not null && MinIdAge is not null)
            errors.Add("MaxLength and MinIdAge are both set: Redis trims by one of them per XADD; unset one.");
        return errors;
    }
}
