using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Cli;
using Postern.Sdk.Plugins;

namespace Postern.Plugins.Mta.Zmailer;

/// <summary>
/// Registers <c>postern zmailer-contentfilter</c> and <c>postern setup zmailer</c>. The <c>[zmailer]</c> agent section
/// holds the policy overrides for mail smtpserver hands over, and <c>reply_timeout</c> (default 100s: ZMailer waits
/// 120 s for a verdict and then accepts the message unscanned, so Postern answers with a temporary refusal first).
/// </summary>
public sealed class ZmailerPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section("zmailer");
        var timeout = section.TryGetValue("reply_timeout", out var t) && t.EndsWith('s') && int.TryParse(t[..^1], out var s) && s is > 0 and < 120
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(100);
        services.AddSingleton(new ContentFilterOptions(timeout));
        services.AddSingleton<ICliVerb, ContentFilterVerb>();
        services.AddSingleton<ICliVerb, SetupZmailerVerb>();
    }
}
