using System.Net;
using System.Net.Sockets;
using SmtpServer;

namespace OrdersFunctions.Bench.Scale.Mail;

/// <summary>A real SMTP server (SmtpServer) on a free 127.0.0.1 port that delays and records every message.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private SmtpSink(SmtpServer.SmtpServer server, int port, Mailbox mailbox)
    {
        _server = server;
        Port = port;
        Mailbox = mailbox;
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public Mailbox Mailbox { get; }

    public static SmtpSink Start(TimeSpan delay)
    {
        var port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("scale-simulator")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var mailbox = new Mailbox();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new DelayedMessageStore(mailbox, delay));
        return new SmtpSink(new SmtpServer.SmtpServer(options, services), port, mailbox);
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
