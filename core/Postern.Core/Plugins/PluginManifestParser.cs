using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>Reads <c>plugin.json</c> strictly: every problem comes back as one precise sentence, never as an exception.</summary>
internal static partial class PluginManifestParser
{
    // A manifest is five short strings; anything near this size is not a manifest.
    internal const int MaxBytes = 64 * 1024;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 4,
        AllowDuplicateProperties = false,
    };

    public static bool TryParse(
        ReadOnlyMemory<byte> utf8Json,
        [NotNullWhen(true)] out PluginManifest? manifest,
        [NotNullWhen(false)] out string? error)
    {
        manifest = null;
        if (utf8Json.Length > MaxBytes)
        {
            error = $"{PluginManifest.FileName}: {utf8Json.Length} bytes, more than the {MaxBytes} a manifest may have";
            return false;
        }

        // A manifest saved by a Windows editor starts with a byte order mark, which the JSON reader does not skip.
        if (utf8Json.Span.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, Options);
        }
        catch (JsonException ex)
        {
            error = $"{PluginManifest.FileName}: not valid JSON: {ex.Message}";
            return false;
        }

        using (document)
        {
            error = Validate(document.RootElement, out manifest);
            return error is null;
        }
    }

    private static string? Validate(JsonElement root, out PluginManifest? manifest)
    {
        manifest = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return $"{PluginManifest.FileName}: expected a JSON object, found {root.ValueKind}";
        }

        var id = Text(root, "id", out var idError);
        var version = Text(root, "version", out var versionError);
        var kindText = Text(root, "kind", out var kindError);
        var entry = Text(root, "entryAssembly", out var entryError);
        var minimumSdk = Text(root, "minimumSdk", out var sdkError);
        if ((idError ?? versionError ?? kindError ?? entryError ?? sdkError) is { } missing)
        {
            return missing;
        }

        if (!KebabCase().IsMatch(id))
        {
            return $"{PluginManifest.FileName}: id '{id}' is not kebab-case (lower-case letters and digits, words joined by '-')";
        }

        if (!SemanticVersion().IsMatch(version))
        {
            return $"{PluginManifest.FileName}: version '{version}' is not a version such as 1.2.0";
        }

        if (ParseKind(kindText) is not { } kind)
        {
            return $"{PluginManifest.FileName}: kind '{kindText}' is not one of engine, mta, agent";
        }

        if (!entry.EndsWith(".dll", StringComparison.Ordinal) || entry.Length == ".dll".Length)
        {
            return $"{PluginManifest.FileName}: entryAssembly '{entry}' does not name a .dll file";
        }

        if (!SdkVersion().IsMatch(minimumSdk) || !Version.TryParse(minimumSdk, out var sdk))
        {
            return $"{PluginManifest.FileName}: minimumSdk '{minimumSdk}' is not a version such as 1.0.0";
        }

        manifest = new PluginManifest(id, version, kind, entry, new Version(sdk.Major, sdk.Minor, Math.Max(sdk.Build, 0)));
        return null;
    }

    private static string Text(JsonElement root, string name, out string? error)
    {
        error = null;
        if (!root.TryGetProperty(name, out var element))
        {
            error = $"{PluginManifest.FileName}: '{name}' is missing";
            return string.Empty;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            error = $"{PluginManifest.FileName}: '{name}' must be a non-empty string";
            return string.Empty;
        }

        return element.GetString()!;
    }

    private static PluginKind? ParseKind(string text) => text switch
    {
        "engine" => PluginKind.Engine,
        "mta" => PluginKind.Mta,
        "agent" => PluginKind.Agent,
        _ => null,
    };

    // 64 characters keeps ids usable as section names, folder names and metric labels.
    [GeneratedRegex("^(?=.{1,64}$)[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KebabCase();

    [GeneratedRegex(@"^\d{1,9}\.\d{1,9}\.\d{1,9}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    [GeneratedRegex(@"^\d{1,9}\.\d{1,9}(\.\d{1,9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex SdkVersion();
}
