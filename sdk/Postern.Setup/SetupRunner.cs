using System.Globalization;
using System.Text;

namespace Postern.Setup;

/// <summary>
/// Carries out a <see cref="SetupPlan"/>: prints every change and command first, stops there on
/// <c>--dry-run</c>, backs every file up with a manifest before touching it, writes atomically keeping mode and
/// owner, runs the validation commands and rolls everything back when one fails. <see cref="UninstallAsync"/> puts
/// every file back byte for byte.
/// </summary>
/// <remarks>
/// <para>Threading: one call at a time. Errors: returns an exit code and writes a one-line reason to the error
/// writer; throws only <see cref="OperationCanceledException"/>. Exit codes: 0 done (or nothing to do), 1 refused,
/// failed validation (rolled back) or not installed, 73 the state folder cannot be written, 74 a file could not be
/// written (rolled back).</para>
/// </remarks>
public sealed class SetupRunner(TextWriter output, TextWriter error, SetupOptions options)
{
    /// <summary>Exit code when the plan was refused or validation failed.</summary>
    public const int Failed = 1;

    /// <summary>EX_CANTCREAT: the state folder cannot be written.</summary>
    public const int CannotCreate = 73;

    /// <summary>EX_IOERR: a configuration file could not be written.</summary>
    public const int IoError = 74;

    /// <summary>Applies the plan.</summary>
    public async Task<int> InstallAsync(SetupPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var name = plan.Integration;
        var manifestPath = SetupManifest.PathFor(options.StateDirectory, name);

        var staged = new List<(PlannedFile File, byte[]? Before, byte[]? After)>();
        foreach (var f in plan.Files)
        {
            byte[]? before;
            byte[]? after;
            try
            {
                before = FileOps.ReadIfExists(f.Path);
                after = f.Transform(before);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SetupException)
            {
                await error.WriteLineAsync($"postern setup {name}: {f.Path}: {e.Message}");
                return Failed;
            }

            if (!f.Preserved && after is null)
            {
                await error.WriteLineAsync($"postern setup {name}: {f.Path}: the edit produced nothing");
                return Failed;
            }

            staged.Add((f, before, after));
        }

        var edits = staged.Where(s => !s.File.Preserved && !Same(s.Before, s.After)).ToList();
        var preserved = staged.Where(s => s.File.Preserved).ToList();

        SetupManifest? existing;
        try
        {
            existing = SetupManifest.Read(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            await error.WriteLineAsync($"postern setup {name}: cannot read {manifestPath}: {e.Message}");
            return Failed;
        }

        if (existing is not null)
        {
            if (edits.Count == 0)
            {
                await output.WriteLineAsync($"postern setup {name}: already installed ({existing.InstalledAt:u}); nothing to change");
                return 0;
            }

            await error.WriteLineAsync(
                $"postern setup {name}: already installed ({existing.InstalledAt:u}, manifest {manifestPath}) and the configuration " +
                $"now differs from what this run would write; run 'postern setup {name} --uninstall' first");
            return Failed;
        }

        await output.WriteLineAsync($"postern setup {name}: plan{(options.DryRun ? " (dry run)" : "")}");
        foreach (var s in staged)
        {
            if (s.File.Preserved)
            {
                await output.WriteLineAsync($"# {s.File.Why}");
                await output.WriteLineAsync($"back up {s.File.Path} (a command below rewrites it)");
            }
            else if (Same(s.Before, s.After))
            {
                await output.WriteLineAsync($"= {s.File.Path}: already as needed");
            }
            else
            {
                await output.WriteLineAsync($"# {s.File.Why}");
                await output.WriteAsync(LineDiff.Unified(s.File.Path, Text(s.Before), Text(s.After)));
            }
        }

        foreach (var c in plan.Commands)
        {
            var when = c.Stage switch
            {
                CommandStage.Validate => "then run (must succeed)",
                CommandStage.Activate => "then run",
                _ => "on --uninstall, after restoring, run",
            };
            await output.WriteLineAsync($"{when}: {c.Display}    # {c.Why}");
        }

        if (edits.Count == 0)
        {
            await output.WriteLineAsync($"postern setup {name}: the configuration already has everything; nothing to change");
            return 0;
        }

        if (options.DryRun)
        {
            await output.WriteLineAsync("dry run: nothing was changed");
            return 0;
        }

        var stateDir = SetupManifest.DirectoryFor(options.StateDirectory, name);
        SetupManifest manifest;
        try
        {
            Directory.CreateDirectory(stateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var backupDir = Path.Combine(stateDir, "backup");
            Directory.CreateDirectory(backupDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var files = new List<ManifestFile>();
            var n = 0;
            foreach (var s in edits.Concat(preserved))
            {
                n++;
                string? backup = null;
                int? mode = null;
                string? owner = null;
                if (s.Before is not null)
                {
                    backup = Path.Combine(backupDir, n.ToString("D2", CultureInfo.InvariantCulture) + "-" + Path.GetFileName(s.File.Path));
                    FileOps.WriteAtomic(backup, s.Before, UnixFileMode.UserRead | UnixFileMode.UserWrite, owner: null);
                    mode = (int)File.GetUnixFileMode(s.File.Path);
                    owner = FileOps.Owner(s.File.Path);
                }

                files.Add(new ManifestFile(s.File.Path, s.Before is not null, backup, s.Before is null ? null : FileOps.Sha256(s.Before),
                    mode, owner, s.File.Preserved ? null : FileOps.Sha256(s.After!)));
            }

            manifest = new SetupManifest(name, DateTimeOffset.UtcNow, typeof(SetupRunner).Assembly.GetName().Version?.ToString() ?? "",
                files, plan.Commands.Where(c => c.Stage == CommandStage.AfterUninstall)
                    .Select(c => new ManifestCommand(c.Why, c.Program, [.. c.Arguments])).ToList());
            manifest.Write(manifestPath);
            await output.WriteLineAsync($"backups and manifest: {stateDir}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"postern setup {name}: cannot write the state folder {stateDir}: {e.Message}; nothing was changed");
            return CannotCreate;
        }

        try
        {
            foreach (var s in edits)
            {
                var mode = s.Before is null ? DefaultMode : File.GetUnixFileMode(s.File.Path);
                var owner = s.Before is null ? null : FileOps.Owner(s.File.Path);
                FileOps.WriteAtomic(s.File.Path, s.After!, mode, owner);
                await output.WriteLineAsync($"wrote {s.File.Path}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"postern setup {name}: writing failed: {e.Message}; restoring what was written");
            await RestoreAsync(manifest, stateDir, runCommands: false, cancellationToken);
            return IoError;
        }

        foreach (var c in plan.Commands.Where(c => c.Stage == CommandStage.Validate))
        {
            var (code, text) = await RunAsync(c, cancellationToken);
            if (code != 0)
            {
                await error.WriteLineAsync($"postern setup {name}: validation failed ({c.Display} exited {code}); restoring every file");
                await RestoreAsync(manifest, stateDir, runCommands: false, cancellationToken);
                await error.WriteLineAsync($"postern setup {name}: restored; nothing is changed. {FirstLine(text)}");
                return Failed;
            }
        }

        foreach (var c in plan.Commands.Where(c => c.Stage == CommandStage.Activate))
        {
            var (code, _) = await RunAsync(c, cancellationToken);
            if (code != 0)
            {
                await error.WriteLineAsync($"postern setup {name}: warning: {c.Display} exited {code}; the configuration is in place, run it once the MTA can take it");
            }
        }

        if (preserved.Count > 0)
        {
            var files = manifest.Files.Select(f => f.WrittenSha256 is null && File.Exists(f.Path)
                ? f with { WrittenSha256 = FileOps.Sha256(File.ReadAllBytes(f.Path)) } : f).ToList();
            manifest = manifest with { Files = files };
            manifest.Write(manifestPath);
        }

        await output.WriteLineAsync($"postern setup {name}: installed; undo with 'postern setup {name} --uninstall'");
        return 0;
    }

    /// <summary>Restores every file the last install of <paramref name="integration"/> touched, byte for byte.</summary>
    public async Task<int> UninstallAsync(string integration, CancellationToken cancellationToken)
    {
        var manifestPath = SetupManifest.PathFor(options.StateDirectory, integration);
        SetupManifest? manifest;
        try
        {
            manifest = SetupManifest.Read(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            await error.WriteLineAsync($"postern setup {integration}: cannot read {manifestPath}: {e.Message}");
            return Failed;
        }

        if (manifest is null)
        {
            await error.WriteLineAsync($"postern setup {integration}: not installed here (no {manifestPath}); nothing to undo");
            return Failed;
        }

        var edited = new List<string>();
        await output.WriteLineAsync($"postern setup {integration} --uninstall: plan{(options.DryRun ? " (dry run)" : "")}");
        foreach (var f in manifest.Files)
        {
            var current = FileOps.ReadIfExists(f.Path);
            if (f.WrittenSha256 is not null && (current is null || FileOps.Sha256(current) != f.WrittenSha256))
            {
                edited.Add(f.Path);
            }

            if (f.Existed)
            {
                var original = f.Backup is null ? null : FileOps.ReadIfExists(f.Backup);
                if (original is null || FileOps.Sha256(original) != f.OriginalSha256)
                {
                    await error.WriteLineAsync($"postern setup {integration}: the backup of {f.Path} ({f.Backup}) is missing or damaged; nothing was changed");
                    return Failed;
                }

                await output.WriteLineAsync($"# restore {f.Path} as it was before {manifest.InstalledAt:u}");
                await output.WriteAsync(LineDiff.Unified(f.Path, Text(current), Text(original)));
            }
            else
            {
                await output.WriteLineAsync($"# delete {f.Path} (setup created it)");
            }
        }

        foreach (var c in manifest.AfterUninstall)
        {
            await output.WriteLineAsync($"then run: {new SetupCommand(CommandStage.AfterUninstall, c.Why, c.Program, c.Arguments).Display}    # {c.Why}");
        }

        if (edited.Count > 0 && !options.Force)
        {
            await error.WriteLineAsync(
                $"postern setup {integration}: changed since setup wrote them: {string.Join(", ", edited)}; restoring would lose those edits. " +
                "Re-run with --force to restore anyway; nothing was changed");
            return Failed;
        }

        if (options.DryRun)
        {
            await output.WriteLineAsync("dry run: nothing was changed");
            return 0;
        }

        var stateDir = SetupManifest.DirectoryFor(options.StateDirectory, integration);
        try
        {
            await RestoreAsync(manifest, stateDir, runCommands: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"postern setup {integration}: restoring failed: {e.Message}; the manifest and backups stay in {stateDir}");
            return IoError;
        }

        await output.WriteLineAsync($"postern setup {integration}: uninstalled; every file is as it was");
        return 0;
    }

    private static readonly UnixFileMode DefaultMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private async Task RestoreAsync(SetupManifest manifest, string stateDir, bool runCommands, CancellationToken ct)
    {
        foreach (var f in manifest.Files)
        {
            if (f.Existed)
            {
                FileOps.WriteAtomic(f.Path, File.ReadAllBytes(f.Backup!), f.Mode is { } m ? (UnixFileMode)m : null, f.Owner);
                await output.WriteLineAsync($"restored {f.Path}");
            }
            else
            {
                FileOps.DeleteDurably(f.Path);
                await output.WriteLineAsync($"deleted {f.Path}");
            }
        }

        if (runCommands)
        {
            foreach (var c in manifest.AfterUninstall)
            {
                var (code, _) = await RunAsync(new SetupCommand(CommandStage.AfterUninstall, c.Why, c.Program, c.Arguments), ct);
                if (code != 0)
                {
                    await error.WriteLineAsync($"postern setup {manifest.Integration}: warning: {c.Program} exited {code}");
                }
            }
        }

        Directory.Delete(stateDir, recursive: true);
    }

    private async Task<(int, string)> RunAsync(SetupCommand c, CancellationToken ct)
    {
        await output.WriteLineAsync($"$ {c.Display}");
        var (code, text) = await CommandRunner.RunAsync(c, ct);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await output.WriteLineAsync("  " + line.TrimEnd('\r'));
        }

        return (code, text);
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static string? Text(byte[]? b) => b is null ? null : Encoding.UTF8.GetString(b);

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() is { Length: > 0 } line ? line : "(the command printed nothing)";
}

/// <summary>An integration's edit cannot be made (the file holds something setup must not overwrite); the message
/// says what and where, and the runner reports it and changes nothing.</summary>
public sealed class SetupException(string message) : Exception(message);
