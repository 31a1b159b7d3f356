using Postern.Sdk.Plugins;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>
/// Where the engine's databases are: the plugin's <c>database</c> setting, else the global <c>database_dir</c>,
/// else the small database shipped in the plugin's <c>db</c> folder. A value is a comma-separated list of files
/// and directories.
/// </summary>
internal static class DatabaseLocations
{
    public const string DatabaseKey = "database";
    public const string GlobalDatabaseKey = "database_dir";
    public const string BundledFolder = "db";

    public static IReadOnlyList<string> Resolve(PluginContext context)
    {
        var value = context.Settings.GetValueOrDefault(DatabaseKey);
        if (string.IsNullOrWhiteSpace(value))
        {
            value = context.GlobalSettings.GetValueOrDefault(GlobalDatabaseKey);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return [Path.Combine(context.PluginDirectory, BundledFolder)];
        }

        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
