using Postern.Sdk.Plugins;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>How the engine finds and follows its databases; read from the plugin's settings.</summary>
/// <param name="Locations">Database files and directories (see <see cref="DatabaseLocations"/>).</param>
/// <param name="Watch">Whether changes to them are picked up by themselves: the <c>watch</c> setting, default yes.</param>
/// <param name="Quiet">How long the files must stay unchanged before a reload.</param>
internal sealed record SignatureEngineOptions(IReadOnlyList<string> Locations, bool Watch, TimeSpan Quiet)
{
    public const string WatchKey = "watch";

    /// <summary>Long enough for freshclam to finish writing a set of files, short enough that a new signature is in service within seconds.</summary>
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromSeconds(1.5);

    public static SignatureEngineOptions From(PluginContext context)
    {
        var watch = context.Settings.GetValueOrDefault(WatchKey)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "yes" or "true" or "on" or "1" => true,
            "no" or "false" or "off" or "0" => false,
            var other => throw new SignatureDatabaseException($"[{context.PluginId}] {WatchKey} = {other}: expected yes or no"),
        };
        return new SignatureEngineOptions(DatabaseLocations.Resolve(context), watch, DefaultQuiet);
    }
}
