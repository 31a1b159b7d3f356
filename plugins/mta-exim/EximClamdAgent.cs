using Microsoft.Extensions.Logging;
using Postern.Protocols.Clamd;
using Postern.Sdk.Messages;

namespace Postern.Plugins.Mta.Exim;

/// <summary>The <c>exim</c> agent: a clamd protocol server on <c>RUN_DIR/clamd.sock</c> (and optionally TCP) that
/// Exim's <c>av_scanner = clamd:...</c> talks to.</summary>
internal sealed class EximClamdAgent(ClamdServerOptions options, IClamdBackend backend, ILogger<EximClamdAgent> logger) : IAgent, IAsyncDisposable
{
    private ClamdServer? server;

    public string Name => "exim";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        server = new ClamdServer(options, backend, logger);
        await server.StartAsync(cancellationToken);
        var tcp = server.BoundTcpEndPoint?.ToString() ?? "-";
        var roots = string.Join(",", options.ScanRoots);
        EximLog.Started(logger, options.UnixSocketPath ?? "-", tcp, roots);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken);
            await server.DisposeAsync();
            server = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
            server = null;
        }
    }
}

internal static partial class EximLog
{
    [LoggerMessage(EventId = 7200, Level = LogLevel.Information, Message = "exim: clamd server on unix {Socket}, tcp {Tcp}; SCAN allowed under {Roots}")]
    public static partial void Started(ILogger logger, string socket, string tcp, string roots);
}
