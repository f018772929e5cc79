using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// Just enough of a Functions host for an isolated worker to start: the gRPC endpoint the worker opens its event
/// stream on (HTTP/2 without TLS on a loopback port), which accepts the stream and then never says anything. The real
/// worker fails its start when nothing listens there, and this is all it needs to run.
/// </summary>
public sealed class FakeFunctionsHost : IAsyncDisposable
{
    private const string EventStreamPath = "/AzureFunctionsRpcMessages.FunctionRpc/EventStream";
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _streamOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeFunctionsHost(WebApplication app) => _app = app;

    /// <summary>The port the worker's <c>--functions-uri</c> points at.</summary>
    public int Port { get; private set; }

    /// <summary>Completes when a worker opened its event stream (it is past its start-up).</summary>
    public Task StreamOpened => _streamOpened.Task;

    public static async Task<FakeFunctionsHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var host = new FakeFunctionsHost(app);
        app.MapPost(EventStreamPath, host.HoldStreamAsync);
        await app.StartAsync();
        host.Port = new Uri(app.Urls.Single()).Port;
        return host;
    }

    /// <summary>The command-line arguments a Functions host gives its worker, pointing at this fake.</summary>
    public IReadOnlyList<string> WorkerArguments(string workerId = "test-worker")
    {
        var uri = $"http://127.0.0.1:{Port}/";
        return
        [
            "--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", "test-request", "--grpcMaxMessageLength", "2147483647",
            "--functions-uri", uri, "--functions-worker-id", workerId, "--functions-request-id", "test-request",
            "--functions-grpc-max-message-length", "2147483647",
        ];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HoldStreamAsync(HttpContext context)
    {
        context.Response.ContentType = "application/grpc";
        await context.Response.StartAsync(context.RequestAborted);
        _streamOpened.TrySetResult();
        try
        {
            // Read (and drop) what the worker sends, until it or this host goes away.
            var buffer = new byte[4096];
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The worker closed its end, or the fake is stopping.
        }
    }
}
