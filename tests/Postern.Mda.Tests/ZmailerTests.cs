using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Postern.Mda.Tests;

/// <summary>
/// <c>postern zmailer-contentfilter</c> driven by smtpserver's side of the protocol (subdaemon-ctf.c): started with
/// <c>-Z config</c> in $POSTOFFICE, <c>#hungry</c> within 10 s, one spool path per line, the verdict is the last line
/// that starts with at least two integers (<c>%i %i %i</c>), then <c>#hungry</c> again; EOF ends it.
/// </summary>
public sealed class ZmailerTests : IDisposable
{
    private readonly Scratch scratch = new();

    public ZmailerTests() => Directory.CreateDirectory(scratch.File_("queue"));

    public void Dispose() => scratch.Dispose();

    private string Spool(string name, byte[] message, string sender = "<s@example.org>", params string[] recipients)
    {
        var b = new StringBuilder("external\nrcvdfrom mx.example.org (192.0.2.1:40000 <helo.example.org>)\nwith ESMTP\n");
        b.Append("from ").Append(sender).Append('\n');
        foreach (var r in recipients.Length == 0 ? ["<r@example.net>"] : recipients)
        {
            b.Append("to ").Append(r).Append('\n');
        }

        b.Append("env-end\n");
        var path = Path.Combine("queue", name);
        File.WriteAllBytes(scratch.File_(path), [.. Encoding.ASCII.GetBytes(b.ToString()), .. message]);
        return path;
    }

    [Fact]
    public async Task OneLongLivedProcess_AnswersEverySpoolFileWithAVerdictZmailerParses()
    {
        var clean = Spool("1", Messages.Clean());
        var infected = Spool("2", Messages.Infected());
        var garbage = "queue/3";
        File.WriteAllText(scratch.File_(garbage), "no envelope here");
        var bounce = Spool("4", Messages.Clean(), "<>");

        await using var filter = ContentFilter.Start(scratch, [Scratch.Postern, "-c", scratch.Config, "zmailer-contentfilter", "-Z", "/etc/zmailer/zmailer.conf"]);
        Assert.Equal((0, 250), (await filter.AskAsync(clean)).Value);
        var v = await filter.AskAsync(infected);
        Assert.Equal((-1, 550), v.Value);
        Assert.Contains("Eicar-Test-Signature", v.Line, StringComparison.Ordinal);
        Assert.Equal((-1, 451), (await filter.AskAsync(garbage)).Value);
        Assert.Equal((-1, 451), (await filter.AskAsync("queue/missing")).Value);
        Assert.Equal((0, 250), (await filter.AskAsync(bounce)).Value);
        Assert.Equal(0, await filter.CloseAsync());
    }

    [Fact]
    public async Task Defer_IsANegativeValueWith451_AndDiscardFreezes()
    {
        File.AppendAllText(scratch.Config, "[zmailer]\naction_av_infected = discard\n");
        File.WriteAllText(scratch.File_("special.conf"), "[held@example.net]\naction_av = defer\n");
        File.AppendAllText(scratch.Config, "user_config = special.conf\n");
        await using var filter = ContentFilter.Start(scratch, [Scratch.Postern, "-c", scratch.Config, "zmailer-contentfilter"]);

        Assert.Equal((-1, 451), (await filter.AskAsync(Spool("1", Messages.Clean(), "<s@example.org>", "<held@example.net>"))).Value);
        Assert.Equal((1, 250), (await filter.AskAsync(Spool("2", Messages.Infected()))).Value);
        Assert.Equal(0, await filter.CloseAsync());
    }

    [Fact]
    public async Task AHugeSpoolFile_IsScanned()
    {
        var big = Spool("big", Messages.Large(16 << 20));
        await using var filter = ContentFilter.Start(scratch, [Scratch.Postern, "-c", scratch.Config, "zmailer-contentfilter"]);

        Assert.Equal((0, 250), (await filter.AskAsync(big)).Value);
    }

    [Fact]
    public async Task WithADaemon_TheFilterUsesIt()
    {
        await using var daemon = scratch.StartDaemon();
        Assert.True(await daemon.WaitForLogAsync("postern serve ready", TimeSpan.FromSeconds(90)), daemon.Log);
        await using var filter = ContentFilter.Start(scratch, [Scratch.Postern, "-c", scratch.Config, "zmailer-contentfilter"]);

        Assert.Equal((-1, 550), (await filter.AskAsync(Spool("1", Messages.Infected(), "<zm-sender@example.org>"))).Value);
        Assert.True(await daemon.WaitForLogAsync("zm-sender@example.org", TimeSpan.FromSeconds(10)), daemon.Log);
    }

    [Fact]
    public async Task Setup_InstallsAWrapperSmtpserverCanExec_WithNothingOnItsOutputButTheProtocol_AndUninstallRestoresBytes()
    {
        var conf = scratch.File_("smtpserver.conf");
        var original = "#\n# smtpserver.conf -- ZMailer smtpserver configuration\n#\nPARAM maxsize          10000000\n" +
            "PARAM max-error-recipients 3\nPARAM contentfilter $MAILBIN/smtp-contentfilter\n\n" +
            "# HELO/EHLO-patterns\n*.*\t-tlsnoauth\n";
        File.WriteAllText(conf, original);
        var mailbin = scratch.File_("mailbin");
        var log = scratch.File_("filter.log");
        var state = scratch.File_("state");
        string[] setup = ["-c", scratch.Config, "setup", "zmailer", "--smtpserver-conf", conf, "--mailbin", mailbin, "--log", log, "--postern", Scratch.Postern, "--state-dir", state];

        var r = await scratch.RunAsync(setup);
        Assert.True(r.ExitCode == 0, r.ToString());
        var installed = File.ReadAllText(conf);
        Assert.Contains($"\nPARAM contentfilter {mailbin}/postern-contentfilter\n", installed, StringComparison.Ordinal);
        Assert.Contains("# PARAM contentfilter $MAILBIN/smtp-contentfilter", installed, StringComparison.Ordinal);
        Assert.Contains("*.*\t-tlsnoauth", installed, StringComparison.Ordinal);

        r = await scratch.RunAsync(setup);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(installed, File.ReadAllText(conf));

        // smtpserver's exec: the wrapper alone, -Z config; a warning (the garbage file) must land in the log, not the stream.
        File.WriteAllText(scratch.File_("queue/bad"), "garbage");
        await using (var filter = ContentFilter.Start(scratch, [Path.Combine(mailbin, "postern-contentfilter"), "-Z", "/etc/zmailer/zmailer.conf"]))
        {
            Assert.Equal((-1, 451), (await filter.AskAsync("queue/bad")).Value);
            Assert.Equal(0, await filter.CloseAsync());
            Assert.Equal("", filter.Stderr);
            Assert.All(filter.Lines, l => Assert.True(l == "#hungry" || ContentFilter.Parse(l) is not null, $"stray line '{l}'"));
        }

        Assert.Contains("queue/bad", File.ReadAllText(log), StringComparison.Ordinal);

        r = await scratch.RunAsync(["setup", "zmailer", "--uninstall", "--state-dir", state]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(original, File.ReadAllText(conf));
        Assert.False(File.Exists(Path.Combine(mailbin, "postern-contentfilter")));
    }
}

/// <summary>smtpserver's side of the content-filter protocol.</summary>
internal sealed class ContentFilter : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> stderr;

    private ContentFilter(Process process)
    {
        this.process = process;
        stderr = process.StandardError.ReadToEndAsync();
    }

    public List<string> Lines { get; } = [];

    public string Stderr { get; private set; } = "";

    public static ContentFilter Start(Scratch scratch, IReadOnlyList<string> command)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scratch.Root,
        };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["SMTPSERVER"] = "y";
        var filter = new ContentFilter(Process.Start(psi)!);
        return filter;
    }

    /// <summary>The verdict as ZMailer reads it: a line starting with two integers (and never zero-padded ones,
    /// which %i would read as octal).</summary>
    public static (int, int)? Parse(string line)
    {
        var m = System.Text.RegularExpressions.Regex.Match(line, @"^(-?(?:0|[1-9][0-9]*)) ([1-9][0-9]*)(?: |$)");
        return m.Success
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    public async Task<(int Value, int Code, string Line)> AskOnceAsync(string path)
    {
        if (Lines.Count == 0)
        {
            Assert.Equal("#hungry", await ReadLineAsync(TimeSpan.FromSeconds(60)));
        }

        await process.StandardInput.WriteAsync(path + "\n");
        await process.StandardInput.FlushAsync();
        (int, int, string)? verdict = null;
        while (true)
        {
            var line = await ReadLineAsync(TimeSpan.FromSeconds(120));
            if (line == "#hungry")
            {
                break;
            }

            if (Parse(line) is { } v)
            {
                verdict = (v.Item1, v.Item2, line);
            }
        }

        return verdict ?? throw new InvalidOperationException($"no verdict line for {path}: {string.Join(" | ", Lines)}");
    }

    public async Task<((int, int) Value, string Line)> AskAsync(string path)
    {
        var (value, code, line) = await AskOnceAsync(path);
        return ((value, code), line);
    }

    public async Task<int> CloseAsync()
    {
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            Lines.Add(line);
        }

        await process.WaitForExitAsync(cts.Token);
        Stderr = await stderr.WaitAsync(cts.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var line = await process.StandardOutput.ReadLineAsync(cts.Token)
            ?? throw new InvalidOperationException($"the filter closed its output; stderr: {(process.HasExited ? await stderr : "")}");
        Lines.Add(line);
        return line;
    }
}
