using Postern.Plugins.Mta.Postfix.Setup;
using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>The main.cf and master.cf text edits: comments and layout kept, idempotent, foreign entries refused.</summary>
public sealed class ConfigEditTests
{
    private const string Main = "# comment = not a setting\nmyhostname = mx.example\nsmtpd_recipient_restrictions =\n    permit_mynetworks,\n    reject\n#content_filter = old:[1.2.3.4]:1\n";

    [Fact]
    public void MainCfSet_Absent_AppendsUnderMarkerAndKeepsEveryLine()
    {
        var edited = MainCf.Set(Main, [("content_filter", "scan:[127.0.0.1]:10025", false)]);

        Assert.StartsWith(Main, edited, StringComparison.Ordinal);
        Assert.EndsWith(MainCf.Marker + " (after-queue content filter)\ncontent_filter = scan:[127.0.0.1]:10025\n", edited, StringComparison.Ordinal);
        Assert.Equal("scan:[127.0.0.1]:10025", MainCf.Get(edited, "content_filter"));
    }

    [Fact]
    public void MainCfSet_AlreadyThere_Unchanged()
    {
        var once = MainCf.Set(Main, [("content_filter", "scan:[127.0.0.1]:10025", false)]);

        Assert.Equal(once, MainCf.Set(once, [("content_filter", "scan:[127.0.0.1]:10025", false)]));
    }

    [Fact]
    public void MainCfSet_OtherValue_Refused()
    {
        var amavis = Main + "content_filter = smtp-amavis:[127.0.0.1]:10024\n";

        var e = Assert.Throws<SetupException>(() => MainCf.Set(amavis, [("content_filter", "scan:[127.0.0.1]:10025", false)]));
        Assert.Contains("smtp-amavis", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MainCfGet_ContinuationLines_Joined()
    {
        Assert.Equal("permit_mynetworks, reject", MainCf.Get(Main, "smtpd_recipient_restrictions"));
        Assert.Null(MainCf.Get(Main, "content_filter"));
    }

    [Fact]
    public void MainCfSet_NoFinalNewline_AddsOneBeforeTheBlock()
    {
        var edited = MainCf.Set("a = b", [("c", "d", false)]);

        Assert.Equal("a = b\n\n" + MainCf.Marker + " (after-queue content filter)\nc = d\n", edited);
    }

    [Fact]
    public void MasterCfAdd_Twice_SecondIsUnchanged()
    {
        var master = File.ReadAllText("/usr/share/postfix/master.cf.dist");
        string[] entries = ["scan unix - - n - 10 smtp\n  -o smtp_send_xforward_command=yes"];

        var once = MasterCf.Add(master, "# postern", entries);

        Assert.StartsWith(master, once, StringComparison.Ordinal);
        Assert.Equal(once, MasterCf.Add(once, "# postern", entries));
    }

    [Fact]
    public void MasterCfAdd_DifferentServiceOfTheSameName_Refused()
    {
        var master = "scan unix - - n - 2 smtp\n  -o smtp_send_xforward_command=no\n";

        Assert.Throws<SetupException>(() => MasterCf.Add(master, "# postern", ["scan unix - - n - 10 smtp\n  -o smtp_send_xforward_command=yes"]));
    }
}
