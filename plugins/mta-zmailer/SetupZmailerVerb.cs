using System.Text;
using Postern.Sdk.Cli;
using Postern.Setup;

namespace Postern.Plugins.Mta.Zmailer;

/// <summary>
/// <c>postern setup zmailer [--dry-run] [--uninstall] [--smtpserver-conf FILE] [--mailbin DIR] [--log FILE]</c>: writes
/// the wrapper <c>MAILBIN/postern-contentfilter</c> (smtpserver execs one program with <c>-Z config</c>; the wrapper
/// adds the verb and keeps standard error, which smtpserver merges into the protocol, in a log file) and points
/// <c>PARAM contentfilter</c> in smtpserver.conf at it. An existing contentfilter line of another filter is kept as
/// a comment; everything else in the file stays as it was. Uninstall restores both byte for byte.
/// </summary>
internal sealed class SetupZmailerVerb : ICliVerb
{
    public const string Marker = "# postern setup zmailer";

    public IReadOnlyList<string> Path { get; } = ["setup", "zmailer"];

    public string Description => "Make postern the ZMailer smtpserver content filter (with backups; --uninstall undoes)";

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var options = SetupOptions.Parse(invocation.Arguments, ["--smtpserver-conf", "--mailbin", "--log", "--postern"], [], out var error);
        if (options is null || options.Help)
        {
            await (options is null ? invocation.Error : invocation.Output).WriteLineAsync(
                (error is null ? "" : $"postern setup zmailer: {error}\n")
                + "Usage: postern [-c postern.conf] setup zmailer [--smtpserver-conf FILE (/etc/zmailer/smtpserver.conf)]\n"
                + "       [--mailbin DIR (/usr/lib/zmailer)] [--log FILE (/var/log/postern-zmailer.log)] [--postern PATH]\n"
                + SetupOptions.CommonUsage);
            return options is null ? 64 : 0;
        }

        var runner = new SetupRunner(invocation.Output, invocation.Error, options);
        if (options.Uninstall)
        {
            return await runner.UninstallAsync("zmailer", cancellationToken);
        }

        var conf = System.IO.Path.GetFullPath(options.Value("--smtpserver-conf", "/etc/zmailer/smtpserver.conf")!);
        if (!File.Exists(conf))
        {
            await invocation.Error.WriteLineAsync($"postern setup zmailer: {conf} does not exist (--smtpserver-conf?)");
            return 1;
        }

        var wrapper = System.IO.Path.Combine(System.IO.Path.GetFullPath(options.Value("--mailbin", "/usr/lib/zmailer")!), "postern-contentfilter");
        var postern = options.Value("--postern", Environment.ProcessPath ?? "/usr/bin/postern")!;
        var log = options.Value("--log", "/var/log/postern-zmailer.log")!;
        var plan = new SetupPlan("zmailer");
        plan.SetFile(wrapper, Encoding.UTF8.GetBytes(Wrapper(postern, invocation.ConfigPath, log)),
            "smtpserver runs one program with -Z CONFIG: this one runs postern zmailer-contentfilter");
        plan.EditFile(conf, current => EditConfig(current ?? "", wrapper), "PARAM contentfilter names the wrapper");
        plan.Validate("the wrapper is executable", "chmod", "0755", wrapper);
        plan.Validate("the wrapper is a valid script", "/bin/sh", "-n", wrapper);
        var code = await runner.InstallAsync(plan, cancellationToken);
        if (code == 0 && !options.DryRun)
        {
            await invocation.Output.WriteLineAsync("Restart smtpserver to start the filter: zmailer smtpserver");
        }

        return code;
    }

    /// <summary>Points <c>PARAM contentfilter</c> at the wrapper: idempotent; another filter's line is commented out
    /// (uninstall restores the file as it was anyway); a new line goes after the last PARAM line, else at the end.</summary>
    internal static string EditConfig(string text, string wrapper)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        // The marker goes on a line of its own: smtpserver.conf may not take trailing comments on a PARAM line.
        var ours = $"PARAM contentfilter {wrapper}";
        var note = $"{Marker}: the content filter is Postern";
        var lines = text.Split(newline).ToList();
        if (lines.Any(l => l.Trim() == ours))
        {
            return text;
        }

        var lastParam = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var words = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "PARAM" && words[1] == "contentfilter")
            {
                lines[i] = $"# {lines[i]}";
                lines.InsertRange(i, [$"{Marker}: the line below was the content filter before"]);
                lines.InsertRange(i + 2, [note, ours]);
                return string.Join(newline, lines);
            }

            if (words.Length >= 1 && words[0] == "PARAM")
            {
                lastParam = i;
            }
        }

        if (lastParam >= 0)
        {
            lines.InsertRange(lastParam + 1, [note, ours]);
            return string.Join(newline, lines);
        }

        var end = text.Length == 0 || text.EndsWith(newline, StringComparison.Ordinal) ? "" : newline;
        return text + end + note + newline + ours + newline;
    }

    internal static string Wrapper(string postern, string? config, string log) =>
        $"""
        #!/bin/sh
        {Marker}: the ZMailer smtpserver content filter. Undo with: postern setup zmailer --uninstall
        # smtpserver merges standard error into the filter's replies, so Postern's own messages go to a log file.
        exec {Quote(postern)}{(config is null ? "" : " -c " + Quote(System.IO.Path.GetFullPath(config)))} zmailer-contentfilter "$@" 2>>{Quote(log)}

        """;

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
