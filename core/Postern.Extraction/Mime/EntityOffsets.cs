namespace Postern.Extraction.Mime;

/// <summary>Where an entity lies in the parsed bytes: its start, the end of its header block, its end.</summary>
internal readonly record struct EntityOffsets(long Begin, long HeadersEnd, long End);
