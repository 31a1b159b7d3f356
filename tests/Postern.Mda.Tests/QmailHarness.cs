using System.Diagnostics;
using System.Text;

namespace Postern.Mda.Tests;

/// <summary>
/// Drives a qmail-queue program exactly as qmail-smtpd does (qmail.c): the message on a pipe at fd 0, written whole
/// and closed, then the envelope on a pipe at fd 1 (opened for reading by the child), optionally a custom-error pipe on
/// fd 6 read after the exit; the exit code is the answer. Named pipes carry the data so the test writes in that order.
/// </summary>
internal static class QmailHarness
{
    public static byte[] Envelope(string sender, params string[] recipients)
    {
        var b = new StringBuilder();
        b.Append('F').Append(sender).Append('\0');
        foreach (var r in recipients)
        {
            b.Append('T').Append(r).Append('\0');
        }

        b.Append('\0');
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    public static async Task<QmailResult> RunAsync(Scratch scratch, IReadOnlyList<string> command, byte[] message, byte[] envelope, bool customErrorPipe = true)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var msg = scratch.File_($"msg-{id}.fifo");
        var env = scratch.File_($"env-{id}.fifo");
        var err = scratch.File_($"err-{id}.fifo");
        foreach (var fifo in customErrorPipe ? new[] { msg, env, err } : [msg, env])
        {
            using var mk = Process.Start("mkfifo", ["-m", "0600", fifo]);
            await mk.WaitForExitAsync();
            Assert.Equal(0, mk.ExitCode);
        }

        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true, WorkingDirectory = scratch.Root };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(customErrorPipe ? "exec \"$@\" <\"$QQ_MSG\" 1<\"$QQ_ENV\" 6>\"$QQ_ERR\"" : "exec \"$@\" <\"$QQ_MSG\" 1<\"$QQ_ENV\"");
        psi.ArgumentList.Add("qmail-smtpd");
        foreach (var a in command)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["QQ_MSG"] = msg;
        psi.Environment["QQ_ENV"] = env;
        psi.Environment["QQ_ERR"] = err;
        psi.Environment["TCPREMOTEIP"] = "192.0.2.7";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        // qmail-smtpd creates the pipes before it forks: open every fifo (in the order the shell opens them) first.
        var m = await OpenAsync(msg, FileAccess.Write, deadline.Token);
        var e = await OpenAsync(env, FileAccess.Write, deadline.Token);
        var r = customErrorPipe ? await OpenAsync(err, FileAccess.Read, deadline.Token) : null;

        // Then the message, whole, closed; only then the envelope.
        await using (m)
        {
            try
            {
                await m.WriteAsync(message, deadline.Token);
            }
            catch (IOException)
            {
                // The program stopped reading; its exit code tells.
            }
        }

        await using (e)
        {
            try
            {
                await e.WriteAsync(envelope, deadline.Token);
            }
            catch (IOException)
            {
                // The program may refuse before reading the whole envelope.
            }
        }

        var customError = "";
        if (r is not null)
        {
            await using (r)
            {
                using var reader = new StreamReader(r, Encoding.ASCII);
                customError = await reader.ReadToEndAsync(deadline.Token);
            }
        }

        await p.WaitForExitAsync(deadline.Token);
        return new QmailResult(p.ExitCode, customError, await stderr.WaitAsync(deadline.Token));
    }

    private static Task<FileStream> OpenAsync(string fifo, FileAccess access, CancellationToken ct) =>
        Task.Run(() => new FileStream(fifo, FileMode.Open, access, FileShare.ReadWrite, 1), ct).WaitAsync(ct);
}

internal sealed record QmailResult(int ExitCode, string CustomError, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}, fd 6 '{CustomError}'\n--- stderr\n{Stderr}";
}

/// <summary>A stand-in for the real qmail-queue: records fd 0 and fd 1 and exits with a code the test chooses.</summary>
internal sealed class FakeQmailQueue
{
    public FakeQmailQueue(Scratch scratch, string name = "fake-qmail-queue")
    {
        var dir = scratch.File_(name + "-out");
        Directory.CreateDirectory(dir);
        MessagePath = Path.Combine(dir, "msg");
        EnvelopePath = Path.Combine(dir, "env");
        CodePath = Path.Combine(dir, "code");
        Program = scratch.Script(name, $"cat > '{MessagePath}'\ncat <&1 > '{EnvelopePath}'\nexit $(cat '{CodePath}' 2>/dev/null || echo 0)");
    }

    public string Program { get; }

    public string MessagePath { get; }

    public string EnvelopePath { get; }

    public string CodePath { get; }

    public bool Called => File.Exists(MessagePath);

    public void ExitWith(int code) => File.WriteAllText(CodePath, code.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
