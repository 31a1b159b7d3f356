using System.Net;

namespace Postern.Plugins.Mta.Exim.Tests;

/// <summary>The pure parts: the config edits, the message sniff and the [exim] settings.</summary>
public sealed class EditorAndSettingsTests
{
    private const string Minimal = "primary_hostname = x\nacl_smtp_data = acl_check_data\n\nbegin acl\n\nacl_check_data:\n  accept\n";

    [Fact]
    public void WholeConfigIsIdempotentAndFollowsASocketChange()
    {
        var once = SetupEximVerb.WholeConfig(Minimal, "/run/a.sock");
        Assert.Equal(once, SetupEximVerb.WholeConfig(once, "/run/a.sock"));
        var moved = SetupEximVerb.WholeConfig(once, "/run/b.sock");
        Assert.DoesNotContain("/run/a.sock", moved, StringComparison.Ordinal);
        Assert.Equal(2, moved.Split("av_scanner = clamd:/run/b.sock").Length);
        Assert.Equal(2, moved.Split("# BEGIN postern").Length - 1);
        Assert.Contains("acl_check_data:\n  # BEGIN postern: malware check", moved, StringComparison.Ordinal);
    }

    [Fact]
    public void CrLfLineEndsAndAMissingFinalNewlineAreKept()
    {
        var crlf = Minimal.Replace("\n", "\r\n", StringComparison.Ordinal).TrimEnd('\n', '\r');
        var edited = SetupEximVerb.WholeConfig(crlf, "/run/p.sock");
        Assert.DoesNotContain("\r\r", edited, StringComparison.Ordinal);
        Assert.Equal(edited.Split('\n').Length - 1, edited.Split("\r\n").Length - 1);
        Assert.EndsWith("  accept", edited, StringComparison.Ordinal);
    }

    [Fact]
    public void MacroNamedDataAclIsFollowedAsInDebiansTemplate()
    {
        var text = ".ifndef MAIN_ACL_CHECK_DATA\nMAIN_ACL_CHECK_DATA = my_data\n.endif\nacl_smtp_data = MAIN_ACL_CHECK_DATA\nbegin acl\nmy_data:\n  accept\n";
        var edited = SetupEximVerb.WholeConfig(text, "/run/p.sock");
        Assert.Contains("my_data:\n  # BEGIN postern: malware check", edited, StringComparison.Ordinal);
    }

    [Fact]
    public void AclNamedButNotDefinedIsRefused()
    {
        Assert.Throws<Postern.Setup.SetupException>(() => SetupEximVerb.WholeConfig("acl_smtp_data = elsewhere\nbegin acl\nother:\n  accept\n", "/s"));
        Assert.Null(EximConfigEditor.EditDataAcl("begin acl\nother:\n  accept\n", "acl_check_data"));
    }

    [Fact]
    public void SocketWithAColonIsRefusedBeforeAnythingIsPlanned()
    {
        var options = Postern.Setup.SetupOptions.Parse(["--socket", "/run/a:b", "--layout", "plain", "--exim-config", "/nonexistent"], ["--socket", "--layout", "--exim-config"], [], out _)!;
        Assert.Throws<Postern.Setup.SetupException>(() => SetupEximVerb.BuildPlan(options));
    }

    [Theory]
    [InlineData("Received: from x\r\n\r\nbody", true)]
    [InlineData("From sender@example.org Sat Nov 28\nSubject: x\n\nbody", true)]
    [InlineData("X-Any-Header:value\n", true)]
    [InlineData("PK\u0003\u0004zipdata", false)]
    [InlineData("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR", false)]
    [InlineData(": starts with a colon", false)]
    [InlineData("", false)]
    public void MailIsToldFromOtherContent(string content, bool mail) =>
        Assert.Equal(mail, EximBackend.LooksLikeMessage(System.Text.Encoding.Latin1.GetBytes(content)));

    [Fact]
    public void DefaultsPutTheSocketInRunDirAndScanEximsSpool()
    {
        var options = EximSettings.Read(new Dictionary<string, string>(), new Dictionary<string, string> { ["run_dir"] = "/srv/run" });
        Assert.Equal("/srv/run/clamd.sock", options.UnixSocketPath);
        Assert.Null(options.TcpEndPoint);
        Assert.Equal(["/var/spool/exim4/scan"], options.ScanRoots);
        Assert.Equal(100L * 1024 * 1024, options.StreamMaxLength);
        Assert.StartsWith("ClamAV 1.4.6 (Postern ", options.Version, StringComparison.Ordinal);
        Assert.Equal("/run/postern/clamd.sock", EximSettings.Read(new Dictionary<string, string>(), new Dictionary<string, string>()).UnixSocketPath);
    }

    [Fact]
    public void SettingsAreReadAndBadOnesNamed()
    {
        var options = EximSettings.Read(
            new Dictionary<string, string> { ["clamd_tcp"] = "127.0.0.1:21333", ["clamd_socket"] = "no", ["stream_max_length"] = "25M", ["read_timeout"] = "2m", ["scan_roots"] = "/a, /b" },
            new Dictionary<string, string>());
        Assert.Null(options.UnixSocketPath);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 21333), options.TcpEndPoint);
        Assert.Equal(25L * 1024 * 1024, options.StreamMaxLength);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ReadTimeout);
        Assert.Equal(["/a", "/b"], options.ScanRoots);
        var e = Assert.Throws<FormatException>(() => EximSettings.Read(new Dictionary<string, string> { ["stream_max_length"] = "lots" }, new Dictionary<string, string>()));
        Assert.Contains("stream_max_length", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => EximSettings.Read(new Dictionary<string, string> { ["clamd_tcp"] = "localhost" }, new Dictionary<string, string>()));
    }

    [Fact]
    public async Task ConfigCheckAcceptsTheEximSettings()
    {
        var file = Path.Combine(Path.GetTempPath(), "postern-exim-check-" + Guid.NewGuid().ToString("N")[..8] + ".conf");
        await File.WriteAllTextAsync(file, "[exim]\nclamd_tcp = 127.0.0.1:21333\nscan_roots = /var/spool/exim4/scan\nstream_max_length = 25M\naction_av_infected = reject\n");
        try
        {
            var (code, output) = await Tools.RunAsync(Tools.Postern, ["config", "check", file]);
            Assert.True(code == 0, output);
            await File.WriteAllTextAsync(file, "[exim]\naction_av_infectd = reject\n");
            (code, output) = await Tools.RunAsync(Tools.Postern, ["config", "check", file]);
            Assert.NotEqual(0, code);
            Assert.Contains("did you mean 'action_av_infected'", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
