using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace Postern.Protocols.Smtp.Tests.Support;

/// <summary>An <see cref="SmtpServer"/> on a free loopback port whose handler records each transaction and answers
/// what the test says.</summary>
internal sealed class TestServer : ISmtpTransactionHandler, IAsyncDisposable
{
    private readonly SmtpServer server;

    private TestServer(SmtpServerOptions options, Func<SmtpTransaction, CancellationToken, ValueTask<SmtpReply>>? reply)
    {
        Reply = reply ?? ((_, _) => ValueTask.FromResult(new SmtpReply(250, "2.0.0 Ok: queued")));
        server = new SmtpServer(options with { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, this, NullLogger.Instance);
    }

    public ConcurrentQueue<SmtpTransaction> Received { get; } = new();

    public Func<SmtpTransaction, CancellationToken, ValueTask<SmtpReply>> Reply { get; }

    public int Port => server.LocalEndpoint!.Port;

    public SmtpServer Server => server;

    public static async Task<TestServer> StartAsync(SmtpServerOptions? options = null, Func<SmtpTransaction, CancellationToken, ValueTask<SmtpReply>>? reply = null)
    {
        var s = new TestServer(options ?? new SmtpServerOptions { HostName = "filter.test" }, reply);
        await s.server.StartAsync(CancellationToken.None);
        return s;
    }

    public async ValueTask<SmtpReply> HandleAsync(SmtpTransaction transaction, CancellationToken cancellationToken)
    {
        Received.Enqueue(transaction);
        return await Reply(transaction, cancellationToken);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
