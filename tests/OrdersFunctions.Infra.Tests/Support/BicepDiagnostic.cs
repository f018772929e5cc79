using System.Text.RegularExpressions;

namespace OrdersFunctions.Infra.Tests.Support;

/// <summary>One diagnostic line of the Bicep CLI: <c>file(line,col) : Warning rule-or-code: message</c>.</summary>
public sealed partial record BicepDiagnostic(
    string File, int Line, int Column, string Level, string Code, string Message)
{
    public bool IsWarningOrError => Level is "Warning" or "Error";

    public override string ToString() =>
        $"{Path.GetFileName(File)}({Line},{Column}) {Level} {Code}: {Message}";

    /// <summary>Every diagnostic line in the CLI's output; other lines are ignored.</summary>
    public static IReadOnlyList<BicepDiagnostic> Parse(string output) =>
        output.Split('\n')
            .Select(line => DiagnosticLine().Match(line.TrimEnd('\r')))
            .Where(match => match.Success)
            .Select(match => new BicepDiagnostic(
                match.Groups["file"].Value,
                int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(match.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["level"].Value,
                match.Groups["code"].Value,
                match.Groups["message"].Value))
            .ToList();

    [GeneratedRegex(
        @"^(?<file>.+)\((?<line>\d+),(?<col>\d+)\) : (?<level>Error|Warning|Info) (?<code>[^:\s]+): (?<message>.*)$")]
    private static partial Regex DiagnosticLine();
}
