using Microsoft.Extensions.Logging;
using Postern.Protocols.Smtp;
using Postern.Sdk.Messages;

namespace Postern.Plugins.Mta.Postfix;

/// <summary>
/// The after-queue content filter: an SMTP server on <c>listen</c> (127.0.0.1:10025) that Postfix's <c>scan</c>
/// transport delivers to; each message goes through <see cref="FilterHandler"/>. Bounded by <c>max_connections</c>.
/// </summary>
/// <remarks>Threading: started and stopped once by the daemon. Errors: <see cref="StartAsync"/> throws when the
/// address cannot be bound (the daemon logs it and runs the other agents); stopping drains: messages in flight
/// finish, idle connections get 421, and what is still running when the daemon's drain time ends gets 421.</remarks>
internal sealed partial class PostfixAgent(
    IMessageDispatcher dispatcher, PostfixAgentOptions options, ILoggerFactory loggers, TimeProvider time) : IAgent, IAsyncDisposable
{
    private readonly ILogger logger = loggers.CreateLogger<PostfixAgent>();
    private SmtpServer? server;
    private FilterHandler? handler;

    public string Name => "postfix";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        handler = new FilterHandler(dispatcher, options, loggers.CreateLogger<FilterHandler>(), time);
        server = new SmtpServer(new SmtpServerOptions
        {
            Endpoint = options.Listen,
            HostName = Environment.MachineName,
            MaxConnections = options.MaxConnections,
            MaxMessageSize = options.MaxMessageSize,
            IdleTimeout = options.IdleTimeout,

            // Postfix's queue may hold a bare CR (its smtp client sends lines as stored); the message is kept and
            // passed on with CRLF, and a bare CR or LF still never ends DATA.
            BareLineEndings = BareLineEndingPolicy.Normalize,
        }, handler, loggers.CreateLogger<SmtpServer>());
        await server.StartAsync(cancellationToken);
        LogListening(logger, options.Listen, options.Reinject, options.MaxConnections);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken);
        }

        if (handler is not null)
        {
            await handler.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (handler is not null)
        {
            await handler.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "postfix content filter listening on {Listen}, reinjecting to {Reinject}, up to {Max} connections")]
    private static partial void LogListening(ILogger logger, System.Net.IPEndPoint listen, System.Net.IPEndPoint reinject, int max);
}
