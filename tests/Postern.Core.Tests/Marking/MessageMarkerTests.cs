using System.Text;
using MimeKit;
using Postern.Core.Marking;
using Postern.Core.Policy;

namespace Postern.Core.Tests.Marking;

public sealed class MessageMarkerTests
{
    private static readonly MessageMarker Marker = new("1.2.3", "mx.example.org");

    private static MarkingOptions Options(bool headers = true, bool subject = false, bool body = false, string template = "[virus %vir%] %subj%") =>
        new(headers, subject, body, template, "Scanned: %status%");

    [Theory]
    [InlineData(VerdictStatus.Clean, "", "Clean")]
    [InlineData(VerdictStatus.Infected, "Eicar-Test-Signature", "Infected (Eicar-Test-Signature)")]
    [InlineData(VerdictStatus.NotScanned, "part2[a.zip]: encrypted", "Not scanned (part2[a.zip]: encrypted)")]
    [InlineData(VerdictStatus.Deleted, "Eicar-Test-Signature", "Cleaned (Eicar-Test-Signature)")]
    public void Mark_Headers_AddScannedAndStatusOnTop(VerdictStatus status, string detail, string expected)
    {
        var marked = Encoding.Latin1.GetString(Marker.Mark(TestMessages.Clean(), status, detail, detail, Options()));

        Assert.StartsWith($"X-Virus-Scanned: Postern 1.2.3 (mx.example.org)\r\nX-Virus-Status: {expected}\r\nFrom:", marked, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkParts_KeepsTheBodyByReference_AndJoinsToMark()
    {
        ReadOnlyMemory<byte> original = TestMessages.WithInfectedAttachment();
        var (head, tail) = Marker.MarkParts(original, VerdictStatus.Clean, "", "", Options());

        var separator = original.Span.IndexOf("\r\n\r\n"u8) + 2;
        Assert.True(tail.Equals(original[separator..]), "the tail is the submitted memory from the empty line on, not a copy");
        Assert.StartsWith("X-Virus-Scanned: ", Encoding.Latin1.GetString(head.Span), StringComparison.Ordinal);
        byte[] joined = [.. head.ToArray(), .. tail.ToArray()];
        Assert.Equal(Marker.Mark(original, VerdictStatus.Clean, "", "", Options()), joined);
    }

    [Fact]
    public void MarkParts_NothingToChange_ReturnsTheMessageItself()
    {
        ReadOnlyMemory<byte> original = "From: a@x.example\r\nSubject: hi\r\n\r\nhello\r\n"u8.ToArray();
        var (head, tail) = Marker.MarkParts(original, VerdictStatus.Clean, "", "", Options(headers: false));

        Assert.True(head.Equals(original));
        Assert.True(tail.IsEmpty);
    }

    [Fact]
    public void TwoPartDecision_JoinsOnce_CopiesAndResetsWithMessage()
    {
        var report = new Postern.Sdk.Messages.ScanReport(Postern.Sdk.Messages.ScanStatus.Clean, [], [], 1, TimeSpan.Zero);
        var decision = new Postern.Sdk.Messages.MessageDecision(report, [], "H: 1\r\n"u8.ToArray(), "\r\nbody\r\n"u8.ToArray());

        Assert.Equal("H: 1\r\n\r\nbody\r\n", Encoding.ASCII.GetString(decision.Message.Span));
        Assert.True(decision.Message.Equals(decision.Message), "joined once, then the same bytes every time");
        Assert.Equal(decision.Message.Length, decision.Length);
        var copy = new byte[decision.Length];
        decision.CopyTo(copy);
        Assert.Equal(decision.Message.ToArray(), copy);

        var replaced = decision with { Message = "X: 2\r\n\r\n"u8.ToArray() };
        Assert.Equal("X: 2\r\n\r\n", Encoding.ASCII.GetString(replaced.Message.Span));
        Assert.True(replaced.Tail.IsEmpty);
    }

    [Fact]
    public void Mark_ForgedHeaders_AreRenamedEvenWithMarkingOff()
    {
        var marked = Encoding.Latin1.GetString(Marker.Mark(TestMessages.WithInfectedAttachment(), VerdictStatus.Clean, "", "", Options(headers: false)));
        var parsed = Mime.Parse(Encoding.Latin1.GetBytes(marked));

        Assert.Null(parsed.Headers["X-Virus-Status"]);
        Assert.Equal("Clean", parsed.Headers["X-Postern-Original-X-Virus-Status"]);
    }

    [Fact]
    public void Mark_BodyBytes_StayIdentical()
    {
        var original = TestMessages.Clean();

        var marked = Marker.Mark(original, VerdictStatus.Clean, "", "", Options(subject: true, template: "[ok] %subj%"));

        var body = "\r\n\r\nhello\r\n.dot\r\n"u8.ToArray();
        Assert.True(marked.AsSpan().EndsWith(body));
        Assert.Contains("Subject: [ok] =?utf-8?q?caf=C3=A9?= menu\r\n", Encoding.Latin1.GetString(marked), StringComparison.Ordinal);
    }

    [Fact]
    public void Mark_SubjectTemplate_FillsPlaceholdersOnceAndSanitisesNames()
    {
        var marked = Marker.Mark(TestMessages.Clean(), VerdictStatus.Infected, "Bad\r\nX-Evil: 1", "Bad\r\nX-Evil: 1", Options(subject: true));
        var parsed = Mime.Parse(marked);

        Assert.Equal("[virus Bad??X-Evil: 1] café menu", parsed.Subject);
        Assert.Null(parsed.Headers["X-Evil"]);
    }

    [Fact]
    public void Mark_NoSubjectHeader_AddsOne()
    {
        var marked = Marker.Mark("From: a@b\n\nx\n"u8.ToArray(), VerdictStatus.Infected, "V", "V", Options(subject: true));

        Assert.Equal("[virus V]", Mime.Parse(marked).Subject?.TrimEnd());
    }

    [Fact]
    public void Mark_Body_AppendsNoticeAndKeepsTheParts()
    {
        var marked = Marker.Mark(TestMessages.WithInfectedAttachment(), VerdictStatus.Clean, "", "", Options(body: true));
        var parsed = Mime.Parse(marked);

        var parts = Mime.Parts(parsed);
        Assert.Equal(4, parts.Count);
        Assert.Equal("Scanned: Clean\n", ((TextPart)parts[3]).Text.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("invoice.exe", ((MimePart)parts[1]).FileName);
    }

    [Fact]
    public void Mark_SinglePartBody_IsWrappedWithTheNotice()
    {
        var marked = Marker.Mark(TestMessages.Clean(), VerdictStatus.Clean, "", "", Options(body: true));
        var parsed = Mime.Parse(marked);

        var mixed = Assert.IsType<Multipart>(parsed.Body);
        Assert.Contains("\r\n\r\nhello\r\n.dot\r\n", Encoding.ASCII.GetString(marked), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", Encoding.ASCII.GetString(marked).Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Scanned: Clean", ((TextPart)mixed[1]).Text, StringComparison.Ordinal);
    }
}
