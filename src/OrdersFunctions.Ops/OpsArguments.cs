namespace OrdersFunctions.Ops;

/// <summary>A command's arguments: positional words, <c>--name value</c> options and <c>--flag</c> switches.</summary>
public sealed class OpsArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private OpsArguments(List<string> positional) => Positional = positional;

    public IReadOnlyList<string> Positional { get; }

    /// <summary>Splits <paramref name="args"/>; names in <paramref name="flags"/> take no value.</summary>
    /// <exception cref="OpsUsageException">An option lacks its value.</exception>
    public static OpsArguments Parse(IReadOnlyList<string> args, ISet<string> flags)
    {
        var result = new OpsArguments([]);
        var positional = (List<string>)result.Positional;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            if (flags.Contains(arg))
            {
                result._flags.Add(arg);
                continue;
            }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new OpsUsageException($"The option {arg} needs a value.");
            result._options[arg] = args[++i];
        }
        return result;
    }

    public string? Option(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var value) ? value : null;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _flags.Contains(name);
    }

    /// <exception cref="OpsUsageException">An option or flag was given that the command did not ask for.</exception>
    public void RejectUnused()
    {
        var unknown = _options.Keys.Concat(_flags).Where(n => !_used.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new OpsUsageException($"Unknown option(s) here: {string.Join(", ", unknown)}.");
    }
}

/// <summary>A wrong command line; the message says what is wrong.</summary>
public sealed class OpsUsageException(string message) : Exception(message);
