using System.Text.Json;
using System.Text.Json.Serialization;

namespace Postern.Setup;

/// <summary>What an install changed, kept in <c>STATE/INTEGRATION/manifest.json</c> so uninstall can undo it.</summary>
internal sealed record SetupManifest(
    string Integration,
    DateTimeOffset InstalledAt,
    string Version,
    List<ManifestFile> Files,
    List<ManifestCommand> AfterUninstall)
{
    public static string DirectoryFor(string stateDirectory, string integration) => Path.Combine(stateDirectory, integration);

    public static string PathFor(string stateDirectory, string integration) =>
        Path.Combine(DirectoryFor(stateDirectory, integration), "manifest.json");

    public static SetupManifest? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return JsonSerializer.Deserialize(File.ReadAllBytes(path), ManifestJson.Default.SetupManifest)
            ?? throw new InvalidDataException($"{path}: empty manifest");
    }

    public void Write(string path) =>
        FileOps.WriteAtomic(path, JsonSerializer.SerializeToUtf8Bytes(this, ManifestJson.Default.SetupManifest), UnixFileMode.UserRead | UnixFileMode.UserWrite, owner: null);
}

/// <summary>One file an install touched.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Existed">Whether it existed before; if not, uninstall deletes it.</param>
/// <param name="Backup">The backup copy's path (null when it did not exist).</param>
/// <param name="OriginalSha256">Hash of the original bytes.</param>
/// <param name="Mode">The original Unix mode (octal digits), or null.</param>
/// <param name="Owner">The original "uid:gid", or null.</param>
/// <param name="WrittenSha256">Hash of what setup left there, to notice edits made since; null when unknown.</param>
internal sealed record ManifestFile(
    string Path, bool Existed, string? Backup, string? OriginalSha256, int? Mode, string? Owner, string? WrittenSha256);

internal sealed record ManifestCommand(string Why, string Program, List<string> Arguments);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SetupManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
