namespace Postern.Sdk.Messages;

/// <summary>The decision for one recipient of a message. Immutable.</summary>
/// <param name="Recipient">The envelope recipient.</param>
/// <param name="Action">What happens to this recipient's copy.</param>
/// <param name="Reason">The text for the SMTP reply or the log (<c>infected: Eicar-Test-Signature</c>).</param>
public sealed record RecipientDecision(string Recipient, DecisionAction Action, string Reason);
