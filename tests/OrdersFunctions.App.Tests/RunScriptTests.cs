using OrdersFunctions.RedisStreams.Testing;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// <c>./run.sh</c> checks its arguments and local.settings.json before it builds or starts anything: a bad one is one
/// line and an exit code, and <c>--help</c> says how to use it. The settings test runs a copy of the script in a
/// folder of its own, so the repository's own local.settings.json is never touched.
/// </summary>
public sealed class RunScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("run-sh-").FullName;

    [Fact]
    public async Task Help_SaysHowToUseIt_ExitCode0()
    {
        await using var script = Run(RepositoryRoot.Find(), "--help");

        Assert.Equal(0, await script.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("Usage: ./run.sh [--port PORT]", script.Output);
        Assert.Contains("--port PORT", script.Output);
    }

    [Theory]
    [InlineData("--port", "abc")]
    [InlineData("--port")]
    [InlineData("--port", "0")]
    [InlineData("--port", "70000")]
    [InlineData("--port=7o71")]
    public async Task BadPort_IsOneLine_ExitCode2_BeforeAnythingElse(params string[] arguments)
    {
        await using var script = Run(RepositoryRoot.Find(), arguments);

        Assert.Equal(2, await script.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(Lines(script.Output));
        Assert.StartsWith("--port needs a port number from 1 to 65535, e.g. ./run.sh --port 7072", line);
    }

    [Fact]
    public async Task UnknownArgument_IsOneLine_ExitCode2()
    {
        await using var script = Run(RepositoryRoot.Find(), "--prot", "7072");

        Assert.Equal(2, await script.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("Unknown argument '--prot': ./run.sh [--port PORT], or ./run.sh --help",
            Assert.Single(Lines(script.Output)));
    }

    [Fact]
    public async Task LocalSettingsNotJson_IsOneLineWithTheFileAndTheLine_BeforeBuilding()
    {
        var root = RepositoryRoot.Find();
        File.Copy(Path.Combine(root, "run.sh"), Path.Combine(_folder, "run.sh"));
        File.Copy(Path.Combine(root, "local.settings.sample.json"),
            Path.Combine(_folder, "local.settings.sample.json"));
        Directory.CreateDirectory(Path.Combine(_folder, "scripts"));
        File.Copy(Path.Combine(root, "scripts", "check-json.cs"), Path.Combine(_folder, "scripts", "check-json.cs"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "local.settings.json"),
            "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n"
            + "    \"RedisConnection\": \"127.0.0.1:6379\"\n    \"OrdersStream\": \"o\"\n  }\n}\n");

        await using var script = Run(_folder);

        // The check is a .NET file-based program, compiled on its first run: give that time on a loaded machine.
        Assert.Equal(1, await script.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        var line = Assert.Single(Lines(script.Output));
        Assert.StartsWith("local.settings.json:5: not valid JSON (", line);
        Assert.DoesNotContain("Building", script.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ChildProcess Run(string folder, params string[] arguments) =>
        ChildProcess.Start("bash", folder, [Path.Combine(folder, "run.sh"), .. arguments],
            new Dictionary<string, string?> { ["RedisConnection"] = null });

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
