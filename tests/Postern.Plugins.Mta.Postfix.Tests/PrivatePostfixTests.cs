using Postern.Protocols.Smtp;
using Postern.Testing;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>The test harness itself: a private Postfix relays to the recording sink; its queue holds mail while the
/// sink is down. Ports 20100-20109.</summary>
public sealed class PrivatePostfixTests
{
    [Fact]
    public async Task PrivatePostfix_RelaysToTheSink_ExactBodyAndEnvelope()
    {
        await using var sink = new RecordingSmtpSink(20101);
        await using var postfix = PrivatePostfix.Create(new PrivatePostfixOptions { SmtpPort = 20100, RelayPort = sink.Port });
        await postfix.StartAsync();
        var body = "Subject: harness\r\nMessage-ID: <h1@test.example>\r\n\r\nhello\r\n.dot line\r\n"u8.ToArray();

        await new SmtpClient(new SmtpClientOptions()).SendAsync("127.0.0.1", postfix.SmtpPort, "a@test.example", ["b@test.example"], body,
            TestContext.Current.CancellationToken);

        Assert.True(await sink.WaitForAsync(1, TimeSpan.FromSeconds(30)), postfix.MaillogTail());
        var m = Assert.Single(sink.Messages);
        Assert.Equal(["b@test.example"], m.Recipients);
        Assert.EndsWith("\r\n\r\nhello\r\n.dot line\r\n", m.Text, StringComparison.Ordinal);
        Assert.True(await postfix.WaitForEmptyQueueAsync(TimeSpan.FromSeconds(10)));
    }
}
