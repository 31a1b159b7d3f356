namespace Postern.Core.Policy;

/// <summary>What the policy decides on: the scan status, plus "deleted" for a message that was cleaned.</summary>
public enum VerdictStatus
{
    Clean,
    Infected,
    NotScanned,

    /// <summary>Infected parts were replaced by notices and a rescan found the result clean (esets' "deleted").</summary>
    Deleted,
}
