using Postern.Protocols.Smtp;
using Postern.Sdk.Messages;

namespace Postern.Core.Quarantine;

/// <summary>
/// Releases an item: rescans it with the engines in service now, refuses one that is still infected unless forced,
/// and hands it over SMTP to the reinjection server with its original envelope (or the recipients given). The item
/// is marked released only after the server answered the data with 2xx; any failure leaves it as it was.
/// </summary>
public sealed class QuarantineRelease(IQuarantineStore store, IMessageScanner scanner, SmtpClient smtp, TimeProvider time)
{
    public async Task<(ReleaseOutcome Outcome, string Detail)> ReleaseAsync(
        string id, bool force, IReadOnlyList<string>? recipients, string host, int port, CancellationToken ct)
    {
        var item = await store.GetAsync(id, ct);
        var message = item is null ? null : await store.ReadMessageAsync(id, ct);
        if (item is null || message is null)
        {
            return (ReleaseOutcome.NotFound, $"no quarantined message {id}");
        }

        var report = await scanner.ScanAsync(new ScanRequest(message, "quarantine " + id, IsMessage: true), ct);
        if (report.Status == ScanStatus.Infected && !force)
        {
            return (ReleaseOutcome.StillInfected, "still infected: " + string.Join(", ", report.Findings.Select(f => f.Name).Distinct()));
        }

        var to = recipients is { Count: > 0 } ? recipients : item.Recipients;
        try
        {
            var delivery = await smtp.SendAsync(host, port, item.Sender, to, message, ct);
            await store.MarkReleasedAsync(id, time.GetUtcNow(), ct);
            var refused = delivery.Refused.IsEmpty ? "" : $"; refused: {string.Join(", ", delivery.Refused.Select(r => $"{r.Key} ({r.Value})"))}";
            return (ReleaseOutcome.Released, $"released to {string.Join(", ", delivery.Accepted)} via {host}:{port}: {delivery.DataReply}{refused}");
        }
        catch (SmtpException e)
        {
            return (ReleaseOutcome.DeliveryFailed, $"{host}:{port} did not take it: {e.Message}");
        }
    }

    /// <summary>Splits <c>host:port</c> (<c>[::1]:10026</c> for IPv6).</summary>
    public static (string Host, int Port) ParseServer(string server)
    {
        var colon = server.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{server}' is not host:port");
        }

        return (server[..colon].Trim('[', ']'), port);
    }
}
