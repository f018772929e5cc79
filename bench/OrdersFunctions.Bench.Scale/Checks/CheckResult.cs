namespace OrdersFunctions.Bench.Scale.Checks;

/// <summary>One assertion of a run: its name, whether it held, and what was seen.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}
