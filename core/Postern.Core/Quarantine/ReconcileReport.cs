namespace Postern.Core.Quarantine;

/// <summary>What opening the store repaired: temp files of interrupted writes removed, files without a row indexed,
/// rows without a file dropped.</summary>
public sealed record ReconcileReport(int TempFilesRemoved, int FilesIndexed, int RowsDropped);
