namespace Postern.Core.Quarantine;

/// <summary>How a release ended.</summary>
public enum ReleaseOutcome
{
    Released,
    NotFound,

    /// <summary>The rescan still finds something and the release was not forced.</summary>
    StillInfected,

    /// <summary>The SMTP server did not take the message; the item stays.</summary>
    DeliveryFailed,
}
