using Microsoft.Azure.Functions.Worker.Builder;
using OrdersFunctions.App;
using OrdersFunctions.App.Hosting;

// The same registration runs under the local host (src/OrdersFunctions.LocalHost), which calls
// OrdersAppStartup.ConfigureFunctionsApp by convention. WorkerProgram turns a start-up refusal into one line per
// problem and exit code 1, and stops the worker when the Functions host that started it is gone.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
try
{
    HostJsonLayer.AddTo(builder.Configuration, AppContext.BaseDirectory);
}
catch (InvalidDataException ex)
{
    Console.Error.WriteLine(ex.Message);
    return WorkerProgram.RefusedExitCode;
}
OrdersAppStartup.ConfigureFunctionsApp(builder.Services, builder.Configuration);
return WorkerProgram.Run(builder.Build(), args, Console.Error);
