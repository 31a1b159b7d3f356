using System.Globalization;
using System.Text.Json;
using Postern.Core.Quarantine;

namespace Postern.Host.Cli;

/// <summary>How quarantine items are printed: one line each for lists, a block for show, JSON on request.</summary>
internal static class QuarantineText
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Line(QuarantineItem i) => string.Create(CultureInfo.InvariantCulture,
        $"{i.Id}  {i.Received.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {i.Status,-10} {Or(string.Join(",", i.Detections)),-28} <{i.Sender}> -> {string.Join(",", i.Recipients)}{(i.Released is null ? "" : "  (released)")}");

    public static string Describe(QuarantineItem i) => string.Join('\n',
        $"id:         {i.Id}",
        string.Create(CultureInfo.InvariantCulture, $"received:   {i.Received.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"),
        $"sender:     <{i.Sender}>",
        $"recipients: {string.Join(", ", i.Recipients.Select(r => $"<{r}>"))}",
        $"queue id:   {Or(i.QueueId ?? "")} (agent {Or(i.Agent)})",
        $"status:     {i.Status}: {Or(i.Reason)}",
        $"detections: {Or(string.Join(", ", i.Detections))}",
        string.Create(CultureInfo.InvariantCulture, $"size:       {i.Size} bytes, sha256 {i.Sha256}"),
        string.Create(CultureInfo.InvariantCulture, $"released:   {(i.Released is { } r ? $"{r.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" : "no")}"));

    public static string ToJson(IReadOnlyList<QuarantineItem> items) => JsonSerializer.Serialize(items, Json);

    private static string Or(string s) => s.Length == 0 ? "-" : s;
}
