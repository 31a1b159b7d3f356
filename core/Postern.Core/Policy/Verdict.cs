using Postern.Sdk.Messages;

namespace Postern.Core.Policy;

/// <summary>A message's verdict after scanning and any cleaning, and the bytes that would be passed on.</summary>
/// <param name="Status">What the policy decides on.</param>
/// <param name="Report">The scan of the original message.</param>
/// <param name="Message">The original, or the cleaned copy when cleaning succeeded.</param>
/// <param name="Detections">Detection names, for %vir% and the log.</param>
/// <param name="Detail">Detections or not-scanned reasons, for replies and X-Virus-Status.</param>
public sealed record Verdict(VerdictStatus Status, ScanReport Report, ReadOnlyMemory<byte> Message, IReadOnlyList<string> Detections, string Detail);
