using System.Text;
using Postern.Testing;

namespace Postern.Mda.Tests;

/// <summary>A private temp folder with a postern.conf whose run_dir is inside it; removed on dispose.</summary>
internal sealed class Scratch : IDisposable
{
    public Scratch(string extraGlobal = "")
    {
        Root = Directory.CreateTempSubdirectory("postern-mda-test-").FullName;
        // Every user runs the MDA under Postfix local(8) (nobody, for root's mail): the folder must be reachable.
        File.SetUnixFileMode(Root, (UnixFileMode)0x1FF);
        Config = Path.Combine(Root, "postern.conf");
        File.WriteAllText(Config, $"[global]\nrun_dir = {RunDir}\nsyslog_enabled = no\nav_quarantine_dir = {Path.Combine(Root, "quarantine")}\n{extraGlobal}\n");
    }

    public string Root { get; }

    public string Config { get; }

    public string RunDir => Path.Combine(Root, "run");

    public string Socket => Path.Combine(RunDir, "postern.sock");

    public static string Postern => PosternDaemon.Executable;

    public string File_(string name) => Path.Combine(Root, name);

    /// <summary>An executable script in the folder.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    public PosternDaemon StartDaemon() => PosternDaemon.Start("-c", Config);

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, byte[]? stdin = null, IReadOnlyDictionary<string, string?>? env = null, int seconds = 120) =>
        ProcessRunner.RunAsync(Postern, args, TimeSpan.FromSeconds(seconds), env, stdin, Root);

    /// <summary>The native postern-mda, published beside the managed build (test.sh does it), which it falls back to.</summary>
    public static string NativeMda => Path.Combine(Path.GetDirectoryName(Postern)!, "postern-mda");

    /// <summary>The mda verb's command: the managed <c>postern</c> for "managed"; the native <c>postern-mda</c> for
    /// "native", given the same arguments without the verb, as its users write them.</summary>
    public static IReadOnlyList<string> MdaCommand(string program, IReadOnlyList<string> args)
    {
        if (program == "managed")
        {
            return [Postern, .. args];
        }

        if (!File.Exists(NativeMda))
        {
            throw new InvalidOperationException($"{NativeMda} is missing: ./test.sh publishes it (dotnet publish core/Postern.Mda.Native -r linux-x64 -o artifacts/postern)");
        }

        var verb = args.ToList().IndexOf("mda");
        return [NativeMda, .. args.Where((_, i) => i != verb)];
    }

    /// <summary>Runs <c>postern mda</c> (arguments with the verb) as <paramref name="program"/> (see <see cref="MdaCommand"/>).</summary>
    public Task<ProcessResult> RunMdaAsync(string program, IReadOnlyList<string> args, byte[]? stdin = null, IReadOnlyDictionary<string, string?>? env = null, int seconds = 120)
    {
        var command = MdaCommand(program, args);
        return ProcessRunner.RunAsync(command[0], command.Skip(1), TimeSpan.FromSeconds(seconds), env, stdin, Root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing a file; the temp folder is the OS's to clean then.
        }
    }
}

/// <summary>Test messages, built at run time so no scanner trips over the sources.</summary>
internal static class Messages
{
    public static string EicarText { get; } = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    public static byte[] Clean(string subject = "hello") =>
        Encoding.ASCII.GetBytes($"From: a@example.org\nTo: b@example.net\nSubject: {subject}\n\nA clean body.\n");

    public static byte[] Infected() =>
        Encoding.ASCII.GetBytes($"From: a@example.org\nTo: b@example.net\nSubject: virus\n\n{EicarText}\n");

    /// <summary>A clean message of about <paramref name="size"/> bytes of text lines.</summary>
    public static byte[] Large(int size)
    {
        var b = new StringBuilder(size + 200);
        b.Append("From: a@example.org\nTo: b@example.net\nSubject: large\n\n");
        var i = 0;
        while (b.Length < size)
        {
            b.Append("line ").Append(i++).Append(" lorem ipsum dolor sit amet, consectetur adipiscing elit\n");
        }

        return Encoding.ASCII.GetBytes(b.ToString());
    }

    public static bool EndsWith(byte[] data, byte[] suffix) => data.AsSpan().EndsWith(suffix);
}
