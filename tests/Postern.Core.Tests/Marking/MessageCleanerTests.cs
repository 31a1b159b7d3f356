using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Postern.Core.Cleaning;
using Postern.Core.Scanning;
using Postern.Sdk.Messages;

namespace Postern.Core.Tests.Marking;

public sealed class MessageCleanerTests
{
    private static ScanPipeline Scanner() =>
        new([new VirusEngine()], new ScanOptions(), TimeProvider.System, NullLogger<ScanPipeline>.Instance);

    private static async Task<ScanReport> ScanAsync(byte[] message) =>
        await Scanner().ScanAsync(new ScanRequest(message, "m", IsMessage: true), TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public async Task Clean_InfectedAttachment_IsReplacedAndTheRestKept(string newLine)
    {
        var original = TestMessages.WithInfectedAttachment(newLine);
        var report = await ScanAsync(original);
        Assert.Equal(ScanStatus.Infected, report.Status);

        var result = MessageCleaner.Clean(original, report.Findings, report.NotScannedReasons, CleanMode.Standard);

        Assert.Null(result.Failure);
        Assert.Equal(["part2[invoice.exe]"], result.Replaced);
        var before = Mime.Parse(original);
        var after = Mime.Parse(result.Message!);
        var parts = Mime.Parts(after);
        Assert.Equal(3, parts.Count);
        Assert.Contains("invoice.exe", ((TextPart)parts[1]).Text, StringComparison.Ordinal);
        Assert.Contains("Test.Virus", ((TextPart)parts[1]).Text, StringComparison.Ordinal);
        Assert.Equal(Raw(Mime.Parts(before)[0]), Raw(parts[0]));
        Assert.Equal(Raw(Mime.Parts(before)[2]), Raw(parts[2]));
        Assert.Equal(before.Headers.ToString(), after.Headers.ToString());
        Assert.DoesNotContain("\r", Encoding.ASCII.GetString(result.Message!).Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(newLine == "\n", !Encoding.ASCII.GetString(result.Message!).Contains('\r', StringComparison.Ordinal));
        Assert.Equal(ScanStatus.Clean, (await ScanAsync(result.Message!)).Status);
    }

    [Fact]
    public async Task Clean_DuplicateAttachments_TheLoopRemovesTheTwinTheFirstScanSkipped()
    {
        var text = Encoding.ASCII.GetString(TestMessages.WithInfectedAttachment());
        var twin = "--BOUND\r\nContent-Type: application/octet-stream; name=\"copy.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + TestMessages.Attachment + "\r\n--BOUND--";
        var original = Encoding.ASCII.GetBytes(text.Replace("--BOUND--", twin, StringComparison.Ordinal));
        var report = await ScanAsync(original);

        var outcome = await new CleaningLoop(Scanner()).CleanAsync(original, report, CleanMode.Standard, "m", TestContext.Current.CancellationToken);

        Assert.Null(outcome.Failure);
        Assert.Equal(ScanStatus.Clean, outcome.Rescan!.Status);
        Assert.Equal(2, outcome.Replaced.Count);
    }

    [Fact]
    public async Task Clean_InfectionInTheMessageBody_Fails()
    {
        var original = TestMessages.SinglePartInfected();
        var report = await ScanAsync(original);

        var outcome = await new CleaningLoop(Scanner()).CleanAsync(original, report, CleanMode.Standard, "m", TestContext.Current.CancellationToken);

        Assert.Null(outcome.Message);
        Assert.Contains("not a replaceable attachment", outcome.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_FindingThatLocatesNothing_Fails()
    {
        var result = MessageCleaner.Clean(TestMessages.WithInfectedAttachment(), [new Sdk.Scanning.Finding("V", "e", "epilogue")], [], CleanMode.Standard);

        Assert.NotNull(result.Failure);
    }

    [Fact]
    public void Clean_Strict_AlsoReplacesPartsThatWereNotScanned()
    {
        var original = TestMessages.WithInfectedAttachment();

        var standard = MessageCleaner.Clean(original, [], ["part3[logo.png]: encrypted"], CleanMode.Standard);
        var strict = MessageCleaner.Clean(original, [], ["part3[logo.png]: encrypted"], CleanMode.Strict);

        Assert.NotNull(standard.Failure);
        Assert.Equal(["part3[logo.png]"], strict.Replaced);
    }

    [Fact]
    public void Clean_ArchiveMemberFinding_ReplacesTheWholeAttachment()
    {
        var result = MessageCleaner.Clean(TestMessages.WithInfectedAttachment(),
            [new Sdk.Scanning.Finding("V", "e", "part2[invoice.exe]/docs/x.com")], [], CleanMode.Standard);

        Assert.Equal(["part2[invoice.exe]"], result.Replaced);
    }

    private static string Raw(MimeEntity entity)
    {
        using var s = new MemoryStream();
        entity.WriteTo(s, TestContext.Current.CancellationToken);
        return Encoding.Latin1.GetString(s.ToArray());
    }
}
