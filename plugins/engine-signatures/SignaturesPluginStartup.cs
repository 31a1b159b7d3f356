using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>
/// Registers the <c>signatures</c> scan engine. Settings, in the plugin's section: <c>database</c>, a
/// comma-separated list of ClamAV database files and directories; else <c>database_dir</c> of <c>[global]</c>;
/// else the small database shipped in the plugin's <c>db</c> folder. Loading happens in
/// <see cref="IScanEngine.InitializeAsync"/>, not here.
/// </summary>
public sealed class SignaturesPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        var locations = DatabaseLocations.Resolve(context);
        services.AddSingleton<IScanEngine>(provider => new SignatureEngine(
            locations,
            provider.GetService<ILoggerFactory>()?.CreateLogger<SignatureEngine>() ?? NullLogger<SignatureEngine>.Instance));
    }
}
