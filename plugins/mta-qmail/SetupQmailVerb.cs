using System.Text;
using Postern.Sdk.Cli;
using Postern.Setup;

namespace Postern.Plugins.Mta.Qmail;

/// <summary>
/// <c>postern setup qmail [--dry-run] [--uninstall] [--qmail-dir DIR] [--postern PATH]</c>: moves bin/qmail-queue aside
/// to bin/qmail-queue-postern-orig (same bytes, owner and mode, setuid included) and puts a wrapper script in its place
/// that execs <c>postern qmail-queue --real</c> the original; every qmail program then queues through Postern.
/// Uninstall puts the original back byte for byte with its owner and mode and removes the moved copy.
/// </summary>
internal sealed class SetupQmailVerb : ICliVerb
{
    public const string Marker = "# Installed by postern setup qmail";

    public IReadOnlyList<string> Path { get; } = ["setup", "qmail"];

    public string Description => "Put postern qmail-queue in front of qmail's qmail-queue (with backups; --uninstall undoes)";

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var options = SetupOptions.Parse(invocation.Arguments, ["--qmail-dir", "--postern"], [], out var error);
        if (options is null || options.Help)
        {
            await (options is null ? invocation.Error : invocation.Output).WriteLineAsync(
                (error is null ? "" : $"postern setup qmail: {error}\n")
                + "Usage: postern [-c postern.conf] setup qmail [--qmail-dir DIR (/var/qmail)] [--postern PATH]\n" + SetupOptions.CommonUsage);
            return options is null ? 64 : 0;
        }

        var runner = new SetupRunner(invocation.Output, invocation.Error, options);
        if (options.Uninstall)
        {
            return await runner.UninstallAsync("qmail", cancellationToken);
        }

        var bin = System.IO.Path.GetFullPath(System.IO.Path.Combine(options.Value("--qmail-dir", "/var/qmail")!, "bin"));
        var queue = System.IO.Path.Combine(bin, "qmail-queue");
        var orig = System.IO.Path.Combine(bin, "qmail-queue-postern-orig");
        if (!File.Exists(queue))
        {
            await invocation.Error.WriteLineAsync($"postern setup qmail: {queue} does not exist (--qmail-dir?)");
            return 1;
        }

        var postern = options.Value("--postern", Environment.ProcessPath ?? "/usr/bin/postern")!;
        var wrapper = Encoding.UTF8.GetBytes(Wrapper(postern, invocation.ConfigPath, orig));
        var current = await File.ReadAllBytesAsync(queue, cancellationToken);
        var plan = new SetupPlan("qmail");
        if (!Encoding.UTF8.GetString(current).Contains(Marker, StringComparison.Ordinal))
        {
            // First install: the original moves aside (a copy, then the wrapper replaces it atomically).
            plan.SetFile(orig, current, "the original qmail-queue, moved aside; the wrapper runs it after the scan");
        }
        else if (!File.Exists(orig))
        {
            await invocation.Error.WriteLineAsync($"postern setup qmail: {queue} is already a Postern wrapper but {orig} is missing; restore qmail-queue first (setup qmail --uninstall)");
            return 1;
        }

        plan.SetFile(queue, wrapper, "qmail-queue becomes a wrapper: postern qmail-queue scans, then runs the original");
        if (plan.Files.Count == 2)
        {
            // The wrapper kept the original's owner and mode: give them to the moved copy (setuid qmailq included).
            plan.Validate("the moved original keeps its owner", "chown", $"--reference={queue}", orig);
            plan.Validate("the moved original keeps its mode (setuid)", "chmod", $"--reference={queue}", orig);
        }

        plan.Validate("the wrapper is readable and executable by every qmail program", "chmod", "0755", queue);
        plan.Validate("the wrapper is a valid script", "/bin/sh", "-n", queue);
        plan.Validate("the original qmail-queue is executable", "test", "-x", orig);
        return await runner.InstallAsync(plan, cancellationToken);
    }

    internal static string Wrapper(string postern, string? config, string orig) =>
        $"""
        #!/bin/sh
        {Marker}: scan, then run the original qmail-queue.
        # Undo with: postern setup qmail --uninstall
        exec {Quote(postern)}{(config is null ? "" : " -c " + Quote(System.IO.Path.GetFullPath(config)))} qmail-queue --real {Quote(orig)}

        """;

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
