namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Why a database line cannot be honoured: a kind to count by and a detail for the first few reports.</summary>
internal readonly record struct LineIssue(string Kind, string Detail);
