namespace Postern.Setup;

/// <summary>
/// The options every <c>postern setup X</c> takes, plus the integration's own (<c>--mode</c>, <c>--config-dir</c>).
/// Immutable.
/// </summary>
/// <remarks>Built-in options: <c>--dry-run</c> (or <c>-n</c>) prints the plan and changes nothing;
/// <c>--uninstall</c> undoes the last install; <c>--force</c> lets an uninstall overwrite files edited since the
/// install; <c>--state-dir DIR</c> is where backups and the manifest live (default
/// <see cref="DefaultStateDirectory"/>). Values may be given as <c>--name value</c> or <c>--name=value</c>.</remarks>
public sealed class SetupOptions
{
    /// <summary>Where backups and manifests are kept unless <c>--state-dir</c> says otherwise.</summary>
    public const string DefaultStateDirectory = "/var/lib/postern/setup";

    /// <summary>Print the plan only.</summary>
    public bool DryRun { get; init; }

    /// <summary>Undo the last install instead of installing.</summary>
    public bool Uninstall { get; init; }

    /// <summary>Let an uninstall restore files that were edited after the install.</summary>
    public bool Force { get; init; }

    /// <summary>Where backups and the manifest live.</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>The integration's own value options that were given (<c>--mode</c> → <c>after-queue</c>).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>The integration's own flag options that were given.</summary>
    public IReadOnlySet<string> Flags { get; init; } = new HashSet<string>();

    /// <summary>Whether <c>--help</c> or <c>-h</c> was given.</summary>
    public bool Help { get; init; }

    /// <summary>The value of one of the integration's options, or <paramref name="fallback"/>.</summary>
    public string? Value(string name, string? fallback = null) => Values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>Parses the arguments that follow <c>postern setup X</c>.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="valueOptions">The integration's options that take a value, with their dashes (<c>--mode</c>).</param>
    /// <param name="flagOptions">The integration's options that take none.</param>
    /// <param name="error">Set to a one-line message when the arguments are wrong; the options are then null.</param>
    public static SetupOptions? Parse(
        IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions, out string? error)
    {
        error = null;
        bool dryRun = false, uninstall = false, force = false, help = false;
        var stateDir = DefaultStateDirectory;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            if (eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            switch (arg)
            {
                case "--dry-run" or "-n" when inline is null:
                    dryRun = true;
                    continue;
                case "--uninstall" when inline is null:
                    uninstall = true;
                    continue;
                case "--force" when inline is null:
                    force = true;
                    continue;
                case "--help" or "-h" when inline is null:
                    help = true;
                    continue;
            }

            if (arg == "--state-dir" || valueOptions.Contains(arg))
            {
                var value = inline;
                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        error = $"{arg} needs a value";
                        return null;
                    }

                    value = args[++i];
                }

                if (value.Length == 0)
                {
                    error = $"{arg} needs a non-empty value";
                    return null;
                }

                if (arg == "--state-dir")
                {
                    stateDir = value;
                }
                else
                {
                    values[arg] = value;
                }

                continue;
            }

            if (inline is null && flagOptions.Contains(arg))
            {
                flags.Add(arg);
                continue;
            }

            error = arg.StartsWith('-') ? $"unknown option '{args[i]}'" : $"unexpected argument '{arg}'";
            return null;
        }

        return new SetupOptions
        {
            DryRun = dryRun,
            Uninstall = uninstall,
            Force = force,
            Help = help,
            StateDirectory = Path.GetFullPath(stateDir),
            Values = values,
            Flags = flags,
        };
    }

    /// <summary>The usage lines for the built-in options, for an integration's help text.</summary>
    public const string CommonUsage =
        "  --dry-run, -n      print every change and command, change nothing\n" +
        "  --uninstall        restore every file the last install touched, byte for byte\n" +
        "  --force            with --uninstall: restore even files edited since the install\n" +
        "  --state-dir DIR    backups and manifest (default " + DefaultStateDirectory + ")\n";
}
