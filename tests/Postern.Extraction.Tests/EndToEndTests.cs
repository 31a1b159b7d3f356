using System.IO.Compression;
using System.Text;
using Postern.Extraction.Tests.Support;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Tests;

public sealed class EndToEndTests
{
    [Fact]
    public void Walk_EicarInZipInBase64PartOfForwardedMessage_ComesOutAsExactBytes()
    {
        var zip = TestArchives.Zip(CompressionLevel.Optimal, ("eicar.com", Payloads.Eicar));
        var forwarded = Payloads.Headers("multipart/mixed; boundary=inner") + "\n--inner\nContent-Type: text/plain\n\nsee zip\n"
            + "--inner\nContent-Type: application/zip; name=eicar.zip\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(zip) + "--inner--\n";
        var outer = Payloads.Headers("multipart/mixed; boundary=outer") + "\n--outer\nContent-Type: text/plain\n\nFYI\n"
            + "--outer\nContent-Type: message/rfc822\n\n" + forwarded + "--outer--\n";

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(outer), isMessage: true);

        var eicar = Assert.Single(result.Items, i => i.Content.AsSpan().SequenceEqual(Payloads.Eicar));
        Assert.Equal(("part2/part2[eicar.zip]/eicar.com", ScanItemKind.ArchiveMember, 3), (eicar.Path, eicar.Kind, eicar.Depth));
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void Walk_NullIsMessage_DetectsMessagesAndFiles()
    {
        var message = Encoding.ASCII.GetBytes(Payloads.Headers("text/plain") + "\nhello\n");
        var text = Encoding.ASCII.GetBytes("Note: this is a file\n\nwith a colon line\n");

        Assert.Contains(WalkResult.Run(message).Items, i => i.Kind == ScanItemKind.MimePart);
        Assert.DoesNotContain(WalkResult.Run(text).Items, i => i.Kind == ScanItemKind.MimePart);
    }

    [Fact]
    public void Walk_SameAttachmentTwice_IsYieldedOnce()
    {
        var part = "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(Payloads.Marker("twice"));
        var message = Payloads.Headers("multipart/mixed; boundary=b") + "\n--b\n" + part + "--b\n" + part + "--b--\n";

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message));

        Assert.Single(result.Items, i => i.Contains("MARKER-twice"));
        Assert.Equal(1, result.Context.DuplicateCount);
    }

    [Fact]
    public void Walk_CancelledToken_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var context = new ExtractionContext(ScanLimits.Default, cancelled.Token);

        Assert.Throws<OperationCanceledException>(() =>
            new ContentWalker(ScanLimits.Default).Walk(CorpusTests.Load("rfc822-nesting"), null, context).ToList());
    }
}
