using OrdersFunctions.LocalHost;

// Usage: OrdersFunctions.LocalHost --app path/to/App.dll [--port 7071] [--settings path/to/local.settings.json]
return await LocalHostProgram.RunAsync(args);
