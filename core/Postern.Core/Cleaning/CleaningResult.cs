namespace Postern.Core.Cleaning;

/// <summary>The outcome of one cleaning pass.</summary>
/// <param name="Message">The cleaned message; null when nothing could be replaced.</param>
/// <param name="Replaced">The item paths of the parts replaced by notices.</param>
/// <param name="Failure">Why the message could not be cleaned; null on success.</param>
public sealed record CleaningResult(byte[]? Message, IReadOnlyList<string> Replaced, string? Failure)
{
    public static CleaningResult Failed(string why) => new(null, [], why);
}
