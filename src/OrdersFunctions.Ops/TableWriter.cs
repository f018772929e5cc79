namespace OrdersFunctions.Ops;

/// <summary>Writes rows as left-aligned columns under a header, for people (scripts use <c>--json</c>).</summary>
public static class TableWriter
{
    public static void Write(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var row in rows)
            for (var i = 0; i < widths.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        output.WriteLine(Line(header, widths));
        foreach (var row in rows)
            output.WriteLine(Line(row, widths));
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
