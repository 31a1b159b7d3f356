namespace Postern.Protocols.Clamd;

/// <summary>Confines path commands to configured directories: a path is allowed only when its real location (every
/// symbolic link and <c>..</c> resolved) is a root or lies under one. The file is then opened by that real path and the
/// opened descriptor's own path is checked again, so a link swapped in between cannot lead outside.</summary>
internal sealed class PathGuard
{
    private readonly List<string> roots = [];

    public PathGuard(IEnumerable<string> roots)
    {
        foreach (var root in roots)
        {
            // A root that does not exist yet (Exim creates its scan directory later) is kept as given, made absolute.
            var real = UnixInterop.ResolvePath(root, out _) ?? Path.GetFullPath(root);
            this.roots.Add(real.Length > 1 ? real.TrimEnd('/') : real);
        }
    }

    public bool IsEmpty => roots.Count == 0;

    public bool Contains(string realPath) =>
        roots.Exists(r => r == "/" || realPath == r || realPath.StartsWith(r + "/", StringComparison.Ordinal));

    /// <summary>Resolves <paramref name="path"/>; <c>null</c> with an error text when it cannot be.</summary>
    public static string? Resolve(string path, out string error)
    {
        error = "";
        var real = UnixInterop.ResolvePath(path, out var errno);
        if (real is null)
        {
            error = $"File path check failure: {UnixInterop.ErrorText(errno)}.";
        }

        return real;
    }

    /// <summary>Where an open descriptor really points (from /proc/self/fd), to re-check after opening.</summary>
    public static string? DescriptorPath(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
