namespace Postern.Protocols.Smtp.Tests.Support;

/// <summary>One message the sink took: its envelope and its data.</summary>
internal sealed record SinkTransaction(string Sender, IReadOnlyList<string> Recipients, byte[] Data);
