using Postern.Sdk.Cli;
using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>
/// <c>postern setup postfix [--mode after-queue] [--config-dir DIR] [--dry-run] [--uninstall] [--force]
/// [--state-dir DIR]</c> (--uninstall undoes the given mode, after-queue by default): puts Postern into Postfix through the setup kit (diff and commands printed first, backups,
/// validation with <c>postfix check</c>/<c>postconf</c> and roll back, byte-for-byte uninstall). Addresses come from
/// the <c>[postfix]</c> section of the <c>-c</c> file, else the embedded defaults.
/// </summary>
internal sealed class PostfixSetupVerb(PostfixAgentOptions agent, Protocols.Milter.Agent.MilterAgentSettings milter) : ICliVerb
{
    /// <summary>The modes.</summary>
    private readonly ISetupMode[] Modes = [new AfterQueueMode(), new MilterMode(milter)];

    public IReadOnlyList<string> Path => ["setup", "postfix"];

    public string Description => "Configure Postfix to filter mail through Postern (--mode after-queue), or undo it (--uninstall)";

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var options = SetupOptions.Parse(invocation.Arguments, ["--mode", "--config-dir"], [], out var error);
        if (options is null || options.Help)
        {
            if (error is not null)
            {
                await invocation.Error.WriteLineAsync($"postern setup postfix: {error}");
            }

            await invocation.Error.WriteLineAsync(
                "usage: postern [-c postern.conf] setup postfix [--mode " + string.Join('|', Modes.Select(m => m.Name)) +
                "] [--config-dir /etc/postfix] [--dry-run] [--uninstall] [--force] [--state-dir DIR]");
            return error is null ? 0 : 64;
        }

        var name = options.Value("--mode", "after-queue");
        var mode = Modes.FirstOrDefault(m => m.Name == name);
        if (mode is null)
        {
            await invocation.Error.WriteLineAsync($"postern setup postfix: unknown mode '{name}'; known: {string.Join(", ", Modes.Select(m => m.Name))}");
            return 64;
        }

        var runner = new SetupRunner(invocation.Output, invocation.Error, options);
        if (options.Uninstall)
        {
            return await runner.UninstallAsync(mode.Integration, cancellationToken);
        }

        var dir = options.Value("--config-dir");
        var target = new PostfixSetupTarget(System.IO.Path.GetFullPath(dir ?? "/etc/postfix"), dir is not null, agent);
        var plan = new SetupPlan(mode.Integration);
        mode.AddTo(plan, target);
        return await runner.InstallAsync(plan, cancellationToken);
    }
}
