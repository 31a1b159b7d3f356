using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Postern.Host.Serve;

/// <summary>SIGHUP as a stream of <see cref="DaemonSignal.Reload"/>; a burst of signals while a reload runs becomes
/// one more reload, not many.</summary>
internal sealed class SignalChannel : IDisposable
{
    private readonly Channel<DaemonSignal> channel = Channel.CreateBounded<DaemonSignal>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly PosixSignalRegistration hup;

    public SignalChannel()
    {
        hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            channel.Writer.TryWrite(DaemonSignal.Reload);
        });
    }

    public IAsyncEnumerable<DaemonSignal> Signals(CancellationToken ct) => channel.Reader.ReadAllAsync(ct);

    public void Dispose() => hup.Dispose();
}
