using OrdersFunctions.RedisStreams.Testing;

namespace OrdersFunctions.Build.Tests;

/// <summary>
/// The repository's C# keeps to 120 characters a line (see .editorconfig), so that a change reads in a side-by-side
/// diff without scrolling. Checked here because no analyzer in the SDK enforces a line length.
/// </summary>
public sealed class SourceLineLengthTests
{
    private const int MaxLineLength = 120;
    private static readonly string[] SourceFolders = ["src", "functions", "tests", "bench", "tools"];
    private static readonly HashSet<string> SkippedFolders =
        new(StringComparer.Ordinal) { "bin", "obj", "TestResults" };

    [Fact]
    public void EveryCSharpLine_IsAtMost120Characters()
    {
        var root = RepositoryRoot.Find();
        var tooLong = SourceFolders
            .Select(folder => new DirectoryInfo(Path.Combine(root, folder)))
            .Where(folder => folder.Exists)
            .SelectMany(CSharpFiles)
            .SelectMany(file => File.ReadLines(file.FullName)
                .Select((line, index) => (line, number: index + 1))
                .Where(l => l.line.Length > MaxLineLength)
                .Select(l => $"{Path.GetRelativePath(root, file.FullName)}:{l.number} ({l.line.Length})"))
            .ToList();

        Assert.True(tooLong.Count == 0,
            $"{tooLong.Count} lines are longer than {MaxLineLength} characters:\n" + string.Join('\n', tooLong));
    }

    private static IEnumerable<FileInfo> CSharpFiles(DirectoryInfo folder) =>
        folder.EnumerateFiles("*.cs").Concat(folder.EnumerateDirectories()
            .Where(d => !SkippedFolders.Contains(d.Name))
            .SelectMany(CSharpFiles));
}
