using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrdersFunctions.App.Hosting;

/// <summary>
/// Runs the Functions worker's host. A start-up refusal (a required setting unset, a setting that does not parse) is
/// one line per problem on standard error and exit code 1, with no stack trace: the Functions host logs each line and
/// counts the exit as a worker error (docs/functions-host.md). When a Functions host started this process, it also
/// stops when that host is gone (<see cref="FunctionsHostWatch"/>).
/// </summary>
public static class WorkerProgram
{
    /// <summary>The exit code of a start-up refusal.</summary>
    public const int RefusedExitCode = 1;

    public static int Run(IHost host, string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        // Checked before the host starts, which would otherwise log "Hosting failed to start" with a stack trace.
        if (Refusal(() => host.Services.GetService<IStartupValidator>()?.Validate()) is { } problems)
            return Refuse(problems, error);

        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionsHostWatch));
        using var watch = FunctionsHostWatch.StartIfHosted(args, lifetime, logger, error);
        if (Refusal(host.Run) is { } late)
            return Refuse(late, error);
        return 0;
    }

    /// <summary>The refusal's lines, or null when <paramref name="start"/> went through.</summary>
    private static IReadOnlyList<string>? Refusal(Action start)
    {
        try
        {
            start();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures.ToList();
        }
        catch (InvalidOperationException ex)
            when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The configuration binder on a setting that does not parse, e.g. Notifications__Smtp__Port=abc.
            return [ex.Message];
        }
    }

    private static int Refuse(IReadOnlyList<string> problems, TextWriter error)
    {
        foreach (var problem in problems)
            error.WriteLine(problem);
        error.Flush();
        return RefusedExitCode;
    }
}
