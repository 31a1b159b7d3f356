using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>One way of putting Postern into Postfix (<c>--mode after-queue</c>; a milter mode can be added as another
/// implementation in its own file and listed in <see cref="PostfixSetupVerb"/>).</summary>
internal interface ISetupMode
{
    /// <summary>The value of <c>--mode</c>.</summary>
    string Name { get; }

    /// <summary>The setup kit's integration name: where its backups and manifest live, and what --uninstall undoes.
    /// Modes with their own name can be installed side by side and undone one at a time.</summary>
    string Integration { get; }

    /// <summary>Adds the file edits and the commands of this mode to <paramref name="plan"/>.</summary>
    void AddTo(SetupPlan plan, PostfixSetupTarget target);
}
