using System.Runtime.InteropServices;

namespace Postern.Host.Cli;

/// <summary>Turns SIGINT and SIGTERM into a cancellation token, so verbs can finish or tempfail what they hold.</summary>
internal sealed class ConsoleCancellation : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration sigint;
    private readonly PosixSignalRegistration sigterm;

    public ConsoleCancellation()
    {
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        sigint.Dispose();
        sigterm.Dispose();
        source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        source.Cancel();
    }
}
