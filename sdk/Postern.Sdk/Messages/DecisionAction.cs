namespace Postern.Sdk.Messages;

/// <summary>What happens to a message, or to its copy for one recipient.</summary>
public enum DecisionAction
{
    /// <summary>Deliver it (possibly marked or cleaned).</summary>
    Accept,

    /// <summary>Refuse it permanently: the sender gets a bounce (SMTP 5xx).</summary>
    Reject,

    /// <summary>Refuse it for now: the sender's MTA keeps it and retries (SMTP 4xx). Every internal failure ends here.</summary>
    Defer,

    /// <summary>Take it and drop it: the sender is told it was delivered. Only on the administrator's explicit choice.</summary>
    Discard,
}
