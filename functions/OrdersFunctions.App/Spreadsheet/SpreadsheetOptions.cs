namespace OrdersFunctions.App.Spreadsheet;

/// <summary>Settings <c>Spreadsheet__*</c>.</summary>
public sealed class SpreadsheetOptions
{
    public const string SectionName = "Spreadsheet";
    public const string DefaultCsvPath = ".data/orders.csv";

    /// <summary>The CSV file; a relative path resolves against <see cref="DataPaths.Root"/> (the repository root
    /// locally).</summary>
    public string CsvPath { get; set; } = DefaultCsvPath;
}
