namespace Postern.Extraction.Inline;

/// <summary>A decoded inline block: where it ended in the text, its name, and why it was cut, if it was.</summary>
internal readonly record struct InlineBlock(int End, string? Name, string? Reason);
