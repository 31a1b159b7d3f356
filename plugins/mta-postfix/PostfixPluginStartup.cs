using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Plugins.Mta.Postfix.Setup;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;

namespace Postern.Plugins.Mta.Postfix;

/// <summary>
/// Registers the Postfix after-queue agent (settings in <c>[postfix]</c>: <c>listen</c>, <c>reinject</c>,
/// <c>max_connections</c>, <c>max_message_size</c>, <c>message_timeout</c>, <c>idle_timeout</c>) and the
/// <c>postern setup postfix</c> verb. Nothing is bound here; the agent listens when the daemon starts it.
/// </summary>
public sealed class PostfixPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section("postfix");
        var options = PostfixAgentOptions.From(section);
        services.AddSingleton<IAgent>(provider => new PostfixAgent(
            provider.GetRequiredService<IMessageDispatcher>(),
            options,
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            provider.GetService<TimeProvider>() ?? TimeProvider.System));
        var milter = Milter.PostfixMilter.Register(services, context);
        services.AddSingleton<ICliVerb>(new PostfixSetupVerb(options, milter));
    }
}
