using System.Runtime.InteropServices;

namespace Postern.Host.Serve;

/// <summary>
/// <c>postern serve</c> starts itself again, once, with the runtime settings a long-running daemon wants and a
/// short-lived verb does not (<see cref="Settings"/>), each applied only where the administrator has not set that
/// variable.
/// <list type="bullet">
/// <item><c>DOTNET_ReadyToRun=0</c>: the framework's code as the JIT compiles it for this CPU, not the precompiled code
/// the framework ships. The precompiled code targets a baseline instruction set and is never recompiled (tiered
/// compilation is off, see the host's project file), so the framework's vector paths (base64, byte searches, copies)
/// and its socket and task machinery ran the slower way for the daemon's whole life. Measured under the Postfix
/// milter benchmark (bench/mta-milter.sh, 1000 messages, the daemon's CPU during the send, three interleaved rounds
/// each): 1.16-1.27 ms a message precompiled, 0.91-1.00 ms JIT-compiled, compilation inside the timed window included.
/// Compiling Postern's own assemblies alone (the framework still precompiled) gave 1.06-1.10 ms. The price is a slower
/// start (ready after about 1.25 s instead of 0.3 s here), which a daemon pays once.</item>
/// <item><c>DOTNET_GCConserveMemory=3</c> instead of the runtimeconfig's 7, which keeps <c>postern scan</c>'s peak RSS
/// below clamd's. Under mail the daemon's heap churns large buffers, and at 7 the collector answered nearly every
/// collection with a full compacting one: 10 to 11 of 11 to 12 collections in the 300-message milter window, 48-58 ms
/// of pauses; at 3, 2 to 3 of 7 (GC.CollectionCount read every 250 ms). With a larger buffer cache as well
/// (<c>scan_buffer_cache</c> 16M for the daemon, <see cref="Cli.ServeCommand"/>) the daemon's CPU during the
/// 1000-message send went 0.81-0.89 -> 0.77-0.81 ms a message, for 3-25 MiB more peak RSS (128-148 against 123-125).</item>
/// </list>
/// </summary>
/// <remarks>
/// The restarted process removes the variables it added (named in <see cref="Marker"/>) from its environment, so that
/// programs the daemon runs start as usual. The restart is an <c>execve</c> of the process's own executable with its
/// own argument vector and environment, read byte for byte from <c>/proc/self</c>: same process id, same open
/// descriptors, nothing opened yet. Where that fails, the daemon says so and runs with the runtimeconfig's settings.
/// </remarks>
internal static partial class DaemonRestart
{
    public const string ReadyToRun = "DOTNET_ReadyToRun";

    public const string ConserveMemory = "DOTNET_GCConserveMemory";

    /// <summary>Set on the restarted process only, to the names of the variables the restart added, so that it does not
    /// restart again and can remove them.</summary>
    public const string Marker = "POSTERN_SERVE_RESTARTED";

    /// <summary>The daemon's runtime settings.</summary>
    public static readonly (string Name, string Value)[] Settings = [(ReadyToRun, "0"), (ConserveMemory, "3")];

    /// <summary>Restarts the process with the daemon's settings; returns only when it did not (or need not).</summary>
    public static void Apply(TextWriter error)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(Marker) is { } added)
        {
            Environment.SetEnvironmentVariable(Marker, null);
            foreach (var (name, _) in Settings.Where(s => added.Split(',').Contains(s.Name)))
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            return;
        }

        var missing = Settings.Where(s => Environment.GetEnvironmentVariable(s.Name) is null).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        byte[] arguments, environment;
        try
        {
            // Both as the kernel holds them, byte for byte: a name or value that is not UTF-8 survives the restart.
            arguments = File.ReadAllBytes("/proc/self/cmdline");
            environment = File.ReadAllBytes("/proc/self/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"postern: not restarting with the daemon's runtime settings: {e.Message}");
            return;
        }

        var argv = Native(arguments, []);
        var envp = Native(environment, [.. missing.Select(s => $"{s.Name}={s.Value}"), $"{Marker}={string.Join(',', missing.Select(s => s.Name))}"]);
        try
        {
            // The executable by its own name, not /proc/self/exe, which would rename the process "exe" (ps, pgrep).
            Execve(Environment.ProcessPath ?? "/proc/self/exe", argv, envp);
            error.WriteLine($"postern: not restarting with the daemon's runtime settings: execve: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            Free(argv);
            Free(envp);
        }
    }

    /// <summary>A NULL-terminated array of C strings, as execve takes them: the NUL-separated strings of
    /// <paramref name="block"/>, then <paramref name="extra"/>.</summary>
    private static IntPtr[] Native(byte[] block, string[] extra)
    {
        var strings = new List<IntPtr>();
        for (var start = 0; start < block.Length;)
        {
            var end = Array.IndexOf(block, (byte)0, start);
            end = end < 0 ? block.Length : end;
            var copy = Marshal.AllocCoTaskMem(end - start + 1);
            Marshal.Copy(block, start, copy, end - start);
            Marshal.WriteByte(copy, end - start, 0);
            strings.Add(copy);
            start = end + 1;
        }

        strings.AddRange(extra.Select(Marshal.StringToCoTaskMemUTF8));
        strings.Add(IntPtr.Zero);
        return [.. strings];
    }

    private static void Free(IntPtr[] strings)
    {
        foreach (var s in strings)
        {
            Marshal.FreeCoTaskMem(s);
        }
    }

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execve(string path, IntPtr[] argv, IntPtr[] envp);
}
