using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Protocols.Clamd.Tests.Support;

/// <summary>A scanner for the protocol tests: the plain hex body signatures of the bundled database (EICAR,
/// Postern.Test.Body), matched anywhere in the raw bytes, in database order, so replies can be compared with a real
/// clamd loading the same file. The engine itself is tested elsewhere; here only the protocol is under test.</summary>
internal sealed class SignatureScanner : IMessageScanner
{
    private readonly List<(string Name, byte[] Pattern)> signatures = [];

    public SignatureScanner()
    {
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "db", "postern.ndb")))
        {
            var f = line.Split(':');
            if (line.StartsWith('#') || f.Length != 4 || f[2] != "*" || f[3].Contains('?', StringComparison.Ordinal))
            {
                continue;
            }

            signatures.Add((f[0], Convert.FromHexString(f[3])));
        }
    }

    public Func<ScanRequest, ScanReport?>? Override { get; set; }

    public ConcurrentBag<string> Names { get; } = [];

    public ValueTask<ScanReport> ScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        Names.Add(request.Name);
        if (Override?.Invoke(request) is { } forced)
        {
            return ValueTask.FromResult(forced);
        }

        var started = Stopwatch.GetTimestamp();
        // In the order the matches occur in the content, as clamd reports them.
        var found = signatures.Select(s => (s.Name, At: request.Content.Span.IndexOf(s.Pattern))).Where(m => m.At >= 0)
            .OrderBy(m => m.At).Select(m => new Finding(m.Name, "test", "")).ToImmutableArray();
        var status = found.IsEmpty ? ScanStatus.Clean : ScanStatus.Infected;
        return ValueTask.FromResult(new ScanReport(status, found, [], 1, Stopwatch.GetElapsedTime(started)));
    }
}
