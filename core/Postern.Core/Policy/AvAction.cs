namespace Postern.Core.Policy;

/// <summary>The values of <c>action_av</c> and its after-scan siblings, as esets.cfg spells them.</summary>
public enum AvAction
{
    /// <summary>Scan, then let the after-scan action decide. Only valid for <c>action_av</c>.</summary>
    Scan,
    Accept,
    Defer,
    Discard,
    Reject,
}
