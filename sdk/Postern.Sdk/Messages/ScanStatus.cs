namespace Postern.Sdk.Messages;

/// <summary>The overall outcome of scanning one message or file.</summary>
public enum ScanStatus
{
    /// <summary>Every item was scanned by every engine in service and nothing was found.</summary>
    Clean,

    /// <summary>At least one engine found something. Wins over <see cref="NotScanned"/>.</summary>
    Infected,

    /// <summary>Something could not be scanned (a limit, an encrypted or corrupt container, an engine failure) and
    /// nothing was found in the rest. Never to be treated as clean.</summary>
    NotScanned,
}
