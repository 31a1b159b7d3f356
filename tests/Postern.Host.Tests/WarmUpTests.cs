using System.IO.Compression;
using Postern.Host.Serve;

namespace Postern.Host.Tests;

public sealed class WarmUpTests
{
    [Fact]
    public void Sample_WalksMultipartQuotedPrintableBase64ZipGzipTarAndAForwardedMessage()
    {
        var sample = System.Text.Encoding.ASCII.GetString(WarmUp.Sample());

        Assert.Contains("Content-Transfer-Encoding: quoted-printable", sample, StringComparison.Ordinal);
        Assert.Equal(6, sample.Split("\r\n--=warm\r\n").Length - 1);
        var zipBase64 = sample.Split("filename=\"notes.zip\"\r\n\r\n")[1].Split("--=warm")[0];
        using var zip = new ZipArchive(new MemoryStream(Convert.FromBase64String(zipBase64)));
        Assert.Equal(["notes/readme.txt", "notes/readme.txt.gz"], zip.Entries.Select(e => e.FullName));
        var tarBase64 = sample.Split("name=\"backup.tar.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")[1].Split("--=warm")[0];
        using var tar = new System.Formats.Tar.TarReader(new GZipStream(new MemoryStream(Convert.FromBase64String(tarBase64)), CompressionMode.Decompress));
        Assert.Equal("backup/readme.txt", tar.GetNextEntry()?.Name);
        Assert.Contains("Content-Type: message/rfc822\r\n", sample, StringComparison.Ordinal);
        Assert.Contains("\r\n--=fwd\r\nContent-Type: application/octet-stream", sample, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_HoldsTheEicarStringOneCharacterShortOfAFinding_AndTheInfectedCopyTheStringItself()
    {
        // The near miss makes the warm-up verify a prefilter hit; the infected copy (the last of the warm-up's) differs
        // by that last character alone and is found, so the hit is the built-in EICAR signature's and only
        // verification turns the near miss down.
        var dir = TestFiles.TempDir();
        var near = Path.Combine(dir, "near.eml");
        var real = Path.Combine(dir, "real.eml");
        var sample = System.Text.Encoding.ASCII.GetString(WarmUp.Sample());
        Assert.Contains("TEST-FILE!$H+H#", sample, StringComparison.Ordinal);
        Assert.Equal(sample.Replace("TEST-FILE!$H+H#", "TEST-FILE!$H+H*", StringComparison.Ordinal),
            System.Text.Encoding.ASCII.GetString(WarmUp.Sample(infected: true)));
        await File.WriteAllBytesAsync(near, WarmUp.Sample(), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(real, WarmUp.Sample(infected: true), TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", near, real]);

        Assert.Contains($"{near}: OK", r.Lines);
        Assert.Contains(r.Lines, l => l.StartsWith($"{real}", StringComparison.Ordinal) && l.Contains("FOUND", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sample_ScansCleanWithNothingLeftUnscanned()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "warm-up.eml");
        await File.WriteAllBytesAsync(path, WarmUp.Sample(), TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", path]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal([$"{path}: OK"], r.Lines);
    }
}

public sealed class WarmUpAgentTests
{
    private sealed class Accepting : Postern.Sdk.Messages.IMessageDispatcher
    {
        public int Submitted;

        public ValueTask<Postern.Sdk.Messages.MessageDecision> SubmitAsync(Postern.Sdk.Messages.Envelope envelope, ReadOnlyMemory<byte> message,
            CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Submitted);
            var report = new Postern.Sdk.Messages.ScanReport(Postern.Sdk.Messages.ScanStatus.Clean, [], [], 1, TimeSpan.Zero);
            return ValueTask.FromResult(new Postern.Sdk.Messages.MessageDecision(report, [], message));
        }
    }

    private sealed class Hanging : Postern.Sdk.Messages.IWarmUpAgent
    {
        public string Name => "hanging";

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WarmUpAsync(Postern.Sdk.Messages.IMessageDispatcher dispatcher, IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken) =>
            Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private sealed class Lines : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Logged { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (Logged)
            {
                Logged.Add(formatter(state, exception));
            }
        }
    }

    [Fact]
    public async Task AnAgentWarmUpPastItsTimeLimit_IsLoggedAndTheWarmUpEnds()
    {
        // A plugin's warm-up that never ends must not keep the daemon from starting: it is cancelled at the limit and
        // logged, and the direct copies (the last one infected) still went through the dispatcher.
        var dispatcher = new Accepting();
        var log = new Lines();

        await WarmUp.RunAsync(dispatcher, [new Hanging()], 3, log, TestContext.Current.CancellationToken, agentTimeLimit: TimeSpan.FromMilliseconds(200))
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Contains("warm-up of hanging failed (the daemon starts anyway)", log.Logged);
        Assert.Equal(3, dispatcher.Submitted);
    }
}
