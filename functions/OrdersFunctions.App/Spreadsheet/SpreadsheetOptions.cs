namespace OrdersFunctions.App.Spreadsheet;

/// <summary>Settings <c>Spreadsheet__*</c>.</summary>
public sealed class SpreadsheetOptions
{
    public const string SectionName = "Spreadsheet";
    public const string DefaultCsvPath = ".data/orders.csv";

    /// <summary>The CSV file (relative paths resolve against the process's working directory).</summary>
    public string CsvPath { get; set; } = DefaultCsvPath;
}
