using System.Net;

namespace Postern.Protocols.Clamd;

/// <summary>
/// Where a <see cref="ClamdServer"/> listens and the limits it enforces. Defaults follow clamd 1.4's own
/// (<c>StreamMaxLength</c> 100M, <c>CommandReadTimeout</c> 30 s, <c>ReadTimeout</c> 120 s, <c>IdleTimeout</c> 30 s).
/// </summary>
/// <remarks>Threading: set it up before <see cref="ClamdServer.StartAsync"/>; the server reads it afterwards and it
/// must not change. Errors: <see cref="ClamdServer.StartAsync"/> throws <see cref="ArgumentException"/> for values out
/// of range.</remarks>
public sealed class ClamdServerOptions
{
    /// <summary>The unix socket to create (clamd's <c>LocalSocket</c>); a stale socket file there is replaced.
    /// <c>null</c>: none.</summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>The permission bits of the unix socket (clamd's <c>LocalSocketMode</c>); default 0660.</summary>
    public UnixFileMode UnixSocketMode { get; set; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>The TCP address and port (clamd's <c>TCPAddr</c>/<c>TCPSocket</c>); port 0 picks a free one.
    /// <c>null</c>: none. Only loopback is sensible: the protocol has no authentication.</summary>
    public IPEndPoint? TcpEndPoint { get; set; }

    /// <summary>Directories under which <c>SCAN</c>, <c>CONTSCAN</c>, <c>MULTISCAN</c> and <c>ALLMATCHSCAN</c> may read
    /// files, after symbolic links and <c>..</c> are resolved. Empty: every path command is refused.</summary>
    public IReadOnlyList<string> ScanRoots { get; set; } = [];

    /// <summary>The most bytes one <c>INSTREAM</c> may carry, all chunks together (clamd's <c>StreamMaxLength</c>).
    /// Past it: <c>INSTREAM size limit exceeded. ERROR</c> and the connection is closed.</summary>
    public long StreamMaxLength { get; set; } = 100L * 1024 * 1024;

    /// <summary>The largest file <c>SCAN</c> or <c>FILDES</c> reads; a larger one is reported
    /// <c>Not scanned (size limit) ERROR</c>, never OK.</summary>
    public long MaxFileLength { get; set; } = 100L * 1024 * 1024;

    /// <summary>The longest command line, prefix and terminator included; a longer one gets
    /// <c>UNKNOWN COMMAND</c> and the connection is closed.</summary>
    public int MaxCommandLength { get; set; } = 4096 + 32;

    /// <summary>How long a new connection may take to send its first command (clamd's <c>CommandReadTimeout</c>).</summary>
    public TimeSpan CommandReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for the next bytes of an <c>INSTREAM</c> (clamd's <c>ReadTimeout</c>), and for a
    /// client to take a reply.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long an <c>IDSESSION</c> may sit idle between commands (clamd's <c>IdleTimeout</c>).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections served at once (clamd's <c>MaxThreads</c> + <c>MaxQueue</c> bound); more wait in the
    /// listen backlog until one ends.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>Commands one <c>IDSESSION</c> may send before it is closed.</summary>
    public int MaxSessionCommands { get; set; } = 10_000;

    /// <summary>The <c>VERSION</c> reply. Default <c>ClamAV 1.4.6 (Postern x.y.z)</c>: the protocol level Postern speaks,
    /// then who answers. It has no <c>/</c>: clients that split out a database version see none, as with a clamd whose
    /// databases are unofficial.</summary>
    public string Version { get; set; } = "ClamAV 1.4.6 (Postern)";

    /// <summary>Whether <c>FILDES</c> is served on the unix socket (it never works over TCP).</summary>
    public bool AllowFileDescriptorPassing { get; set; } = true;
}
