using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>Reads <c>plugin.json</c> strictly: every problem comes back as one precise sentence, never as an exception.</summary>
internal static class PluginManifestParser
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

        if (!IsKebabCase(id))
        {
            return $"{PluginManifest.FileName}: id '{id}' is not kebab-case (lower-case letters and digits, words joined by '-')";
        }

        if (!IsSemanticVersion(version))
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

        if (!IsSdkVersion(minimumSdk) || !Version.TryParse(minimumSdk, out var sdk))
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

    // Hand-written rather than regular expressions: the regex engine was the only reason every process loaded
    // System.Text.RegularExpressions (0.7 MiB of resident code). Digits are ASCII only.

    /// <summary>[a-z0-9]+(-[a-z0-9]+)*, 1 to 64 characters: ids are section names, folder names and metric labels.</summary>
    internal static bool IsKebabCase(string id)
    {
        if (id.Length is 0 or > 64 || id[0] == '-' || id[^1] == '-' || id.Contains("--", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>MAJOR.MINOR.PATCH, each 1 to 9 digits, then optionally -PRERELEASE and +BUILD of [0-9A-Za-z.-].</summary>
    internal static bool IsSemanticVersion(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        var core = plus < 0 ? version : version[..plus];
        if (plus >= 0 && !IsLabel(version.AsSpan(plus + 1)))
        {
            return false;
        }

        var dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0 && !IsLabel(core.AsSpan(dash + 1)))
        {
            return false;
        }

        return IsNumbers(dash < 0 ? core : core[..dash], 3, 3);
    }

    /// <summary>MAJOR.MINOR or MAJOR.MINOR.PATCH, each 1 to 9 digits.</summary>
    internal static bool IsSdkVersion(string version) => IsNumbers(version, 2, 3);

    private static bool IsNumbers(ReadOnlySpan<char> text, int least, int most)
    {
        var count = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++count > most || part.Length is 0 or > 9 || part.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }
        }

        return count >= least;
    }

    private static bool IsLabel(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
