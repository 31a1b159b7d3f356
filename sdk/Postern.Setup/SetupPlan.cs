using System.Text;

namespace Postern.Setup;

/// <summary>
/// What one <c>postern setup X</c> will do: file edits, files a command will rewrite, and commands, in order.
/// Built by the integration, carried out by <see cref="SetupRunner"/>. Not thread-safe; build it on one thread.
/// </summary>
/// <remarks>Edits are functions of the current content so the runner reads each file once, shows the difference and
/// writes exactly what it showed. An edit must be idempotent (running setup twice changes nothing the second time)
/// and should keep the administrator's comments and layout.</remarks>
public sealed class SetupPlan
{
    private readonly List<PlannedFile> files = [];
    private readonly List<SetupCommand> commands = [];

    /// <summary>Starts a plan for one integration.</summary>
    /// <param name="integration">Its name, which names its state folder: <c>postfix</c>, <c>exim</c>.</param>
    public SetupPlan(string integration)
    {
        if (string.IsNullOrWhiteSpace(integration) || integration.IndexOfAny(['/', '\\', '.']) >= 0)
        {
            throw new ArgumentException($"'{integration}' is not a valid integration name", nameof(integration));
        }

        Integration = integration;
    }

    /// <summary>The integration's name.</summary>
    public string Integration { get; }

    /// <summary>The files, in the order they were added.</summary>
    public IReadOnlyList<PlannedFile> Files => files;

    /// <summary>The commands, in the order they were added.</summary>
    public IReadOnlyList<SetupCommand> Commands => commands;

    /// <summary>Edits a text file (UTF-8). <paramref name="edit"/> gets the current text, or null when the file does
    /// not exist, and returns the new text.</summary>
    public SetupPlan EditFile(string path, Func<string?, string> edit, string why)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return Add(new PlannedFile(Path.GetFullPath(path), why, current =>
            Encoding.UTF8.GetBytes(edit(current is null ? null : Encoding.UTF8.GetString(current))), Preserved: false));
    }

    /// <summary>Creates or replaces a file with the given bytes.</summary>
    public SetupPlan SetFile(string path, byte[] content, string why)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Add(new PlannedFile(Path.GetFullPath(path), why, _ => content, Preserved: false));
    }

    /// <summary>Backs up a file that a command of this plan will rewrite, so that uninstall restores it.</summary>
    public SetupPlan Preserve(string path, string why) =>
        Add(new PlannedFile(Path.GetFullPath(path), why, current => current, Preserved: true));

    /// <summary>A command run after the files are written; when it fails, every file is restored and setup fails.</summary>
    public SetupPlan Validate(string why, string program, params string[] args) =>
        AddCommand(new SetupCommand(CommandStage.Validate, why, program, args));

    /// <summary>A command run after validation passed (reload the MTA); a failure is reported, the files stay.</summary>
    public SetupPlan Activate(string why, string program, params string[] args) =>
        AddCommand(new SetupCommand(CommandStage.Activate, why, program, args));

    /// <summary>A command recorded in the manifest and run after an uninstall restored the files (reload the MTA).</summary>
    public SetupPlan AfterUninstall(string why, string program, params string[] args) =>
        AddCommand(new SetupCommand(CommandStage.AfterUninstall, why, program, args));

    private SetupPlan Add(PlannedFile file)
    {
        if (files.Any(f => f.Path == file.Path))
        {
            throw new InvalidOperationException($"{file.Path} is in the plan twice");
        }

        files.Add(file);
        return this;
    }

    private SetupPlan AddCommand(SetupCommand command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command.Program);
        commands.Add(command);
        return this;
    }
}

/// <summary>One file of a plan. Immutable.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Why">One line for the printed plan.</param>
/// <param name="Transform">Current bytes (null when missing) to new bytes.</param>
/// <param name="Preserved">True when a command rewrites it and the plan only backs it up.</param>
public sealed record PlannedFile(string Path, string Why, Func<byte[]?, byte[]?> Transform, bool Preserved);

/// <summary>When a command runs.</summary>
public enum CommandStage
{
    /// <summary>After writing; failure rolls everything back.</summary>
    Validate,

    /// <summary>After validation; failure is reported only.</summary>
    Activate,

    /// <summary>After an uninstall restored the files.</summary>
    AfterUninstall,
}

/// <summary>A program run by setup, never through a shell. Immutable.</summary>
/// <param name="Stage">When it runs.</param>
/// <param name="Why">One line for the printed plan.</param>
/// <param name="Program">The program (a path or a name looked up in PATH).</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record SetupCommand(CommandStage Stage, string Why, string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The command as a shell would show it, quoted where needed.</summary>
    public string Display => string.Join(' ', new[] { Program }.Concat(Arguments).Select(Quote));

    internal static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
