using System.Text;

namespace OrdersFunctions.App.Spreadsheet;

/// <summary>RFC 4180 CSV: comma-separated fields, CRLF line ends, fields with comma, quote, CR or LF in double
/// quotes with inner quotes doubled.</summary>
public static class Csv
{
    public const string LineEnd = "\r\n";

    /// <summary>One record with its CRLF. Fields are also defused against formula injection (see
    /// <see cref="Field"/>).</summary>
    public static string Row(IEnumerable<string> fields) => string.Join(',', fields.Select(Field)) + LineEnd;

    /// <summary>
    /// One field, quoted when RFC 4180 requires it. Text that a spreadsheet would run as a formula (starting with
    /// <c>= + - @</c>, tab or CR) gets a leading apostrophe first: customer-supplied text must not become a formula
    /// in the operator's spreadsheet (OWASP "CSV injection").
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
            return value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>
    /// Scans complete records in <paramref name="text"/> and returns each one's first field (unquoted), plus the length
    /// of the complete records: text after it is a record without its line end (a writer crashed mid-row).
    /// </summary>
    public static (List<string> FirstFields, int CompleteLength) ScanFirstFields(ReadOnlySpan<char> text)
    {
        var firsts = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var atFirstField = true;
        var complete = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { if (atFirstField) field.Append('"'); i++; }
                    else inQuotes = false;
                }
                else if (atFirstField) field.Append(c);
            }
            else if (c == '"') inQuotes = true;
            else if (c == ',') atFirstField = false;
            else if (c == '\n')
            {
                firsts.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                atFirstField = true;
                complete = i + 1;
            }
            else if (atFirstField) field.Append(c);
        }
        return (firsts, complete);
    }
}
