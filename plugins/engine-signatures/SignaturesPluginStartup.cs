using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>
/// Registers the <c>signatures</c> scan engine. Settings, in the plugin's section: <c>database</c>, a
/// comma-separated list of ClamAV database files, directories and containers; else <c>database_dir</c> of
/// <c>[global]</c>; else the small database shipped in the plugin's <c>db</c> folder. <c>watch</c> (yes or no,
/// default yes): reload by itself when those files change. Loading happens in
/// <see cref="IScanEngine.InitializeAsync"/>, not here.
/// </summary>
public sealed class SignaturesPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        var options = SignatureEngineOptions.From(context);
        services.AddSingleton(provider => new SignatureEngine(
            options,
            provider.GetService<ILoggerFactory>()?.CreateLogger<SignatureEngine>() ?? NullLogger<SignatureEngine>.Instance,
            provider.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IScanEngine>(provider => provider.GetRequiredService<SignatureEngine>());
        services.AddSingleton<IReloadableEngine>(provider => provider.GetRequiredService<SignatureEngine>());
    }
}
