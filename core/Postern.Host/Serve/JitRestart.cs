using System.Runtime.InteropServices;

namespace Postern.Host.Serve;

/// <summary>
/// The daemon runs the framework's code as the JIT compiles it for this CPU, not the precompiled (ReadyToRun) code the
/// framework ships: <c>postern serve</c> starts itself again, once, with <c>DOTNET_ReadyToRun=0</c>. The precompiled
/// code targets a baseline instruction set and is never recompiled (tiered compilation is off, see the host's project
/// file), so the framework's vector paths (base64, byte searches, copies) and its socket and task machinery ran the
/// slower way for the daemon's whole life. Measured under the Postfix milter benchmark (bench/mta-milter.sh, 1000
/// messages, the daemon's CPU during the send, three interleaved rounds each): 1.16-1.27 ms a message precompiled,
/// 0.91-1.00 ms JIT-compiled, compilation inside the timed window included. Compiling Postern's own assemblies alone
/// (the framework still precompiled) gave 1.06-1.10 ms. The price is a slower start (ready after about 1.25 s instead of
/// 0.3 s here), which a daemon pays once; short-lived verbs keep the precompiled code.
/// </summary>
/// <remarks>
/// An administrator who sets <c>DOTNET_ReadyToRun</c> (either value) keeps that choice: no restart. The restarted
/// process removes both variables from its environment, so that programs the daemon runs start as usual. The restart
/// is an <c>execve</c> of the process's own executable with its own argument vector and environment, read byte for byte
/// from <c>/proc/self</c>: same process id, same open descriptors, nothing opened yet. Where that fails, the daemon says
/// so and runs on precompiled code.
/// </remarks>
internal static partial class JitRestart
{
    public const string ReadyToRun = "DOTNET_ReadyToRun";

    /// <summary>Set on the restarted process only, so that it does not restart again.</summary>
    public const string Marker = "POSTERN_SERVE_RESTARTED";

    /// <summary>Restarts the process with JIT-compiled framework code; returns only when it did not (or need not).</summary>
    public static void Apply(TextWriter error)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(Marker) is not null)
        {
            Environment.SetEnvironmentVariable(Marker, null);
            Environment.SetEnvironmentVariable(ReadyToRun, null);
            return;
        }

        if (Environment.GetEnvironmentVariable(ReadyToRun) is not null)
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
            error.WriteLine($"postern: not restarting with JIT-compiled framework code: {e.Message}");
            return;
        }

        var argv = Native(arguments, []);
        var envp = Native(environment, [$"{ReadyToRun}=0", $"{Marker}=1"]);
        try
        {
            // The executable by its own name, not /proc/self/exe, which would rename the process "exe" (ps, pgrep).
            Execve(Environment.ProcessPath ?? "/proc/self/exe", argv, envp);
            error.WriteLine($"postern: not restarting with JIT-compiled framework code: execve: {Marshal.GetLastPInvokeErrorMessage()}");
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
