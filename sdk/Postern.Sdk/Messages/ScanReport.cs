using System.Collections.Immutable;
using Postern.Sdk.Scanning;

namespace Postern.Sdk.Messages;

/// <summary>The result of scanning one message or file with every engine in service. Immutable.</summary>
/// <param name="Status">Clean, infected or not scanned.</param>
/// <param name="Findings">Every finding, in the order the items were walked; engines in the order configured.</param>
/// <param name="NotScannedReasons">Why parts could not be scanned (<c>archive.zip: encrypted</c>); may be non-empty
/// even when <see cref="Status"/> is <see cref="ScanStatus.Infected"/>.</param>
/// <param name="ItemCount">How many items were handed to the engines.</param>
/// <param name="Elapsed">Wall time spent on the scan.</param>
public sealed record ScanReport(
    ScanStatus Status,
    ImmutableArray<Finding> Findings,
    ImmutableArray<string> NotScannedReasons,
    int ItemCount,
    TimeSpan Elapsed);
