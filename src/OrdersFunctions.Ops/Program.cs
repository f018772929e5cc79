using OrdersFunctions.Ops;

// ./ops.sh runs this from the repository root, where local.settings.json lives.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var settings = OpsSettings.Load(Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json"), Environment.GetEnvironmentVariables());
return await OpsCli.RunAsync(args, settings, Console.Out, Console.Error, cancel.Token);
