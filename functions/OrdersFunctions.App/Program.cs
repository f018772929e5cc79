using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using OrdersFunctions.App;

// The same registration runs under the local host (src/OrdersFunctions.LocalHost), which calls
// OrdersAppStartup.ConfigureFunctionsApp by convention.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
OrdersAppStartup.ConfigureFunctionsApp(builder.Services, builder.Configuration);
builder.Build().Run();
