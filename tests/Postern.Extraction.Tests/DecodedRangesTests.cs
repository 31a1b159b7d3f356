using System.Text;
using Postern.Extraction.Tests.Support;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Tests;

/// <summary>
/// A message item carries the ranges of its bytes that come back decoded as items of their own
/// (<see cref="ScanItem.DecodedElsewhere"/>): exactly the strictly valid base64 bodies of its own leaves and of the
/// embedded messages the walk opens, nothing a lenient reader could read differently.
/// </summary>
public sealed class DecodedRangesTests
{
    private static readonly byte[] Payload = Payloads.Marker("decoded-elsewhere");

    [Fact]
    public void Message_Base64Leaves_AreTheRanges_AndComeBackDecoded()
    {
        var first = Payloads.Base64Lines(Payload);
        var second = Payloads.Base64Lines(Payloads.Marker("second"));
        var message = Multipart(
            "Content-Type: text/plain\n\nplain text stays in the raw pass\n",
            "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + first,
            "Content-Type: application/pdf\nContent-Transfer-Encoding: BASE64\n\n" + second);

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message), isMessage: true);

        var raw = result.Items[0];
        Assert.Equal(ScanItemKind.Raw, raw.Kind);
        // The line break before a boundary belongs to the boundary.
        Assert.Equal([first.TrimEnd('\n'), second.TrimEnd('\n')],
            raw.DecodedElsewhere.Select(r => Encoding.ASCII.GetString(raw.Content[r])));
        Assert.NotNull(result.WithMarker("decoded-elsewhere"));
        Assert.NotNull(result.WithMarker("second"));
        Assert.Empty(result.Reasons);
    }

    [Theory]
    [InlineData("Content-Transfer-Encoding: base64\n\nWDVPIVAl!!junk!!QEFQ\n")]
    [InlineData("Content-Transfer-Encoding: base64\n\nTUFSS0VS\n=extra data after padding=\n")]
    [InlineData("Content-Transfer-Encoding: base64\nContent-Transfer-Encoding: quoted-printable\n\nTUFSS0VS\n")]
    [InlineData("Content-Transfer-Encoding: quoted-printable\n\nMARKER=3D\n")]
    [InlineData("\nTUFSS0VSLWJhc2U2NC1ieS1sb29rcw==\n")]
    public void Message_BodiesReadersCouldDisagreeOn_StayInTheRawPass(string part)
    {
        var message = Multipart("Content-Type: application/octet-stream\n" + part);

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message), isMessage: true);

        Assert.Empty(result.Items[0].DecodedElsewhere);
    }

    [Fact]
    public void EmbeddedMessage_ItsBase64Leaves_AreRangesOfTheOuterMessage_AndOfItsOwnItem()
    {
        var encoded = Payloads.Base64Lines(Payload);
        var inner = Payloads.Headers("multipart/mixed; boundary=inner") + "\n--inner\n"
            + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + encoded + "--inner--\n";
        var message = Multipart("Content-Type: message/rfc822\n\n" + inner);

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message), isMessage: true);

        var raw = result.Items[0];
        Assert.Equal([encoded.TrimEnd('\n')], raw.DecodedElsewhere.Select(r => Encoding.ASCII.GetString(raw.Content[r])));
        var attached = Assert.Single(result.Items, i => i.Kind == ScanItemKind.MimePart && i.Content.AsSpan().StartsWith("From:"u8));
        Assert.Equal([encoded.TrimEnd('\n')], attached.DecodedElsewhere.Select(r => Encoding.ASCII.GetString(attached.Content[r])));
        Assert.NotNull(result.WithMarker("decoded-elsewhere"));
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void EmbeddedMessage_TheWalkDoesNotOpen_KeepsItsBodiesInTheRawPass()
    {
        var inner = Payloads.Headers("multipart/mixed; boundary=inner") + "\n--inner\n"
            + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(Payload) + "--inner--\n";
        var message = Multipart("Content-Type: message/rfc822\n\n" + inner);

        // Depth 1 opens the message (depth 0) but not the message/rfc822 part among its parts (depth 1).
        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message), isMessage: true, ScanLimits.Default with { MaxDepth = 1 });

        Assert.All(result.Items, i => Assert.Empty(i.DecodedElsewhere));
        Assert.Null(result.WithMarker("decoded-elsewhere"));
        Assert.Contains(result.Reasons, r => r.Contains("depth limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Base64MessageAttachment_IsAMessageItem_WithRangesOfItsOwnBytes()
    {
        var inner = Multipart("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(Payload));
        var message = Multipart("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(Encoding.ASCII.GetBytes(inner)));

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message), isMessage: true);

        var attached = Assert.Single(result.Items, i => i.Kind == ScanItemKind.MimePart && i.Content.AsSpan().StartsWith("From:"u8));
        var range = Assert.Single(attached.DecodedElsewhere);
        Assert.Equal(Payloads.Base64Lines(Payload).TrimEnd('\n'), Encoding.ASCII.GetString(attached.Content[range]));
        Assert.NotNull(result.WithMarker("decoded-elsewhere"));
    }

    [Fact]
    public void File_HasNoRanges()
    {
        var text = Encoding.ASCII.GetBytes("not a message\n" + Payloads.Base64Lines(Payload));

        var result = WalkResult.Run(text, isMessage: false);

        Assert.All(result.Items, i => Assert.Empty(i.DecodedElsewhere));
    }

    [Fact]
    public void PartCutOffByTheTotalSizeLimit_IsSkippedOnlyWithANotScannedReason()
    {
        var big = new byte[64 * 1024];
        new Random(5).NextBytes(big);
        var message = Multipart("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(big));

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message), isMessage: true,
            ScanLimits.Default with { MaxTotalBytes = 120 * 1024 });

        Assert.Single(result.Items[0].DecodedElsewhere);
        Assert.Contains(result.Reasons, r => r.Contains("size limit", StringComparison.Ordinal));
    }

    private static string Multipart(params string[] parts) =>
        Payloads.Headers("multipart/mixed; boundary=b") + "\n" + string.Concat(parts.Select(p => "--b\n" + p)) + "--b--\n";
}
