using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>One way of putting Postern into Postfix (<c>--mode after-queue</c>; a milter mode can be added as another
/// implementation in its own file and listed in <see cref="PostfixSetupVerb"/>).</summary>
internal interface ISetupMode
{
    /// <summary>The value of <c>--mode</c>.</summary>
    string Name { get; }

    /// <summary>Adds the file edits and the commands of this mode to <paramref name="plan"/>.</summary>
    void AddTo(SetupPlan plan, PostfixSetupTarget target);
}
