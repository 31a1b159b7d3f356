using Postern.Sdk.Messages;

namespace Postern.Core.Cleaning;

/// <summary>What cleaning produced: the cleaned message and the rescan that proves it, or why it failed.</summary>
/// <param name="Message">The cleaned message; null on failure.</param>
/// <param name="Rescan">The scan of the cleaned message: clean, or not scanned (then the message is treated as not
/// scanned). Null on failure.</param>
/// <param name="Replaced">The item paths replaced by notices.</param>
/// <param name="Removed">The detection names removed.</param>
/// <param name="Failure">Why cleaning failed; null on success.</param>
public sealed record CleaningOutcome(byte[]? Message, ScanReport? Rescan, IReadOnlyList<string> Replaced, IReadOnlyList<string> Removed, string? Failure)
{
    public static CleaningOutcome Failed(string why) => new(null, null, [], [], why);
}
