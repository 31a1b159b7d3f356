using Postern.Extraction.Tests.Support;
using System.Text;
namespace Postern.Extraction.Tests;

/// <summary>The raw input is recorded without a digest; it must still count as seen when a decoded item repeats it.</summary>
public sealed class DedupeTests
{
    [Fact]
    public void MarkFirstSeen_ItemEqualToRawInput_IsDuplicate()
    {
        var context = new ExtractionContext(new ScanLimits(), CancellationToken.None);
        var raw = "the same bytes twice"u8.ToArray();
        context.MarkRaw(raw);

        Assert.False(context.MarkFirstSeen(raw.ToArray()));
        Assert.Equal(1, context.DuplicateCount);
    }

    [Fact]
    public void MarkFirstSeen_OtherBytesOfRawLength_AreNew()
    {
        var context = new ExtractionContext(new ScanLimits(), CancellationToken.None);
        context.MarkRaw("aaaaaaaa"u8.ToArray());

        Assert.True(context.MarkFirstSeen("bbbbbbbb"u8));
        Assert.False(context.MarkFirstSeen("aaaaaaaa"u8));
        Assert.True(context.MarkFirstSeen("aaaa"u8));
    }

    [Fact]
    public async Task ContentKey_SameBytes_SameKey_OnAnyThread()
    {
        var content = new byte[100_000];
        new Random(7).NextBytes(content);
        var here = ContentKey.Of(content);

        var there = await Task.Run(() => ContentKey.Of(content.ToArray()), TestContext.Current.CancellationToken);

        Assert.Equal(here, there);
    }

    [Fact]
    public void ContentKey_AnyChangeOrLength_ChangesTheKey()
    {
        var content = new byte[4096];
        new Random(11).NextBytes(content);
        var keys = new HashSet<UInt128> { ContentKey.Of(content), ContentKey.Of(content.AsSpan(0, 4095)), ContentKey.Of([]) };
        for (var i = 0; i < content.Length; i += 97)
        {
            var flipped = content.ToArray();
            flipped[i] ^= 1;
            Assert.True(keys.Add(ContentKey.Of(flipped)), $"flipping byte {i} gave a key already seen");
        }

        // Zero-padding is a different content too (GHASH counts the length).
        Assert.NotEqual(ContentKey.Of(new byte[16]), ContentKey.Of(new byte[32]));
        Assert.Equal(3 + ((content.Length + 96) / 97), keys.Count);
    }

    /// <summary>
    /// The same bytes as a text part (which the message sniffer does not take for a message: a header line without a
    /// colon) and then as a message/rfc822 part (which MimeKit parses all the same): the second reading is a message
    /// whose parts must be walked, not a duplicate of the first, or its attachment would never be decoded.
    /// </summary>
    [Fact]
    public void SameBytes_AsTextThenAsAttachedMessage_TheMessageIsStillWalked()
    {
        var attached = UnsniffableMessage("second-reading");
        var message = TextThen(attached, "Content-Type: message/rfc822\n\n" + attached);

        var result = WalkResult.Run(message, isMessage: true);

        Assert.NotNull(result.WithMarker("second-reading"));
    }

    /// <summary>As above, with the message/rfc822 part base64-encoded (illegal, yet sent): its decoded bytes are the
    /// text part's, and they are still read as the message they are declared to be.</summary>
    [Fact]
    public void SameBytes_AsTextThenAsEncodedAttachedMessage_TheMessageIsStillWalked()
    {
        var attached = UnsniffableMessage("encoded-reading");
        // The line break before the next boundary is not the text part's: encode exactly the text part's bytes.
        var message = TextThen(attached, "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(Encoding.ASCII.GetBytes(attached.TrimEnd('\n'))));

        var result = WalkResult.Run(message, isMessage: true);

        Assert.NotNull(result.WithMarker("encoded-reading"));
    }

    /// <summary>A message with a base64 attachment carrying <paramref name="marker"/>, which the message sniffer does
    /// not take for one (a header line without a colon) and MimeKit parses all the same.</summary>
    private static string UnsniffableMessage(string marker) =>
        "Content-Type: multipart/mixed; boundary=inner\nnot a header line\n\n--inner\n"
        + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        + Payloads.Base64Lines(Payloads.Marker(marker)) + "--inner--\n";

    /// <summary>A message whose first part is <paramref name="text"/> as text/plain and whose second is
    /// <paramref name="part"/> (its headers and body).</summary>
    private static byte[] TextThen(string text, string part) => Encoding.ASCII.GetBytes(
        Payloads.Headers("multipart/mixed; boundary=b") + "\n--b\nContent-Type: text/plain\n\n" + text + "--b\n" + part + "--b--\n");
}
