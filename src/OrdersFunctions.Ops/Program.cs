using OrdersFunctions.Ops;

// ./ops.sh runs this from the repository root, where local.settings.json and host.json live.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var root = Directory.GetCurrentDirectory();
OpsSettings settings;
try
{
    settings = OpsSettings.Load(
        Path.Combine(root, "local.settings.json"),
        Environment.GetEnvironmentVariables(),
        Path.Combine(root, "host.json"));
}
catch (InvalidDataException ex)
{
    // A broken settings file is one line and exit 1, like every other failure of the command line.
    Console.Error.WriteLine(ex.Message);
    return ExitCodes.Failed;
}
return await OpsCli.RunAsync(args, settings, Console.Out, Console.Error, cancel.Token, new TerminalConsole());
