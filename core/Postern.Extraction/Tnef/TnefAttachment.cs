namespace Postern.Extraction.Tnef;

/// <summary>One attachment found in a TNEF stream: its title and where its data lies in the stream.</summary>
internal sealed class TnefAttachment
{
    public string? Name { get; set; }

    public Range Data { get; set; }

    public bool HasData { get; set; }
}
