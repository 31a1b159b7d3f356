using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Cli;
using Postern.Sdk.Plugins;

namespace Postern.Plugins.Mta.Qmail;

/// <summary>
/// Registers <c>postern qmail-queue</c> and <c>postern setup qmail</c> (plugin id <c>qmail</c>). Settings live in the <c>[qmail]</c> agent section:
/// <c>real_qmail_queue</c> (default <see cref="QmailSettings.DefaultRealQueue"/>), <c>custom_error_fd</c> (6, the
/// notqmail custom-error patch; 4 for the older patch; 0 for none), <c>temp_dir</c> (where the message is spooled
/// for the real qmail-queue; default $TMPDIR or /tmp).
/// </summary>
public sealed class QmailPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = QmailSettings.From(context.Section("qmail"));
        services.AddSingleton(settings);
        services.AddSingleton<ICliVerb, QmailQueueVerb>();
        services.AddSingleton<ICliVerb, SetupQmailVerb>();
    }
}
