using System.Text;
using System.Text.RegularExpressions;
using Postern.Protocols.Clamd.Tests.Support;

namespace Postern.Protocols.Clamd.Tests;

/// <summary>The same bytes sent to a real clamd and to Postern's server must get the same bytes back, but for the
/// documented differences: the version text, clamd's ".UNOFFICIAL" suffix on names from an unsigned database, and the
/// commands Postern does not serve in VERSIONCOMMANDS (SHUTDOWN, QUIT, DETSTATS).</summary>
public sealed partial class FidelityTests(ServersFixture servers) : IClassFixture<ServersFixture>
{
    public static TheoryData<string, string> Cases()
    {
        var big = new byte[2 * 1024 * 1024];
        var data = new TheoryData<string, string>();
        void Add(string name, byte[] request) => data.Add(name, Convert.ToBase64String(request));
        byte[] A(string s) => Encoding.Latin1.GetBytes(s);
        Add("zPING", A("zPING\0"));
        Add("nPING", A("nPING\n"));
        Add("legacy PING", A("PING\n"));
        Add("legacy PING at end of input", A("PING"));
        Add("lower case", A("zping\0"));
        Add("trailing bytes", A("zPING x\0"));
        Add("upper Z is legacy", A("ZPING\0"));
        Add("zVERSION", A("zVERSION\0"));
        Add("nVERSION", A("nVERSION\n"));
        Add("legacy VERSIONCOMMANDS", A("VERSIONCOMMANDS\n"));
        Add("unknown", A("HELLO\n"));
        Add("z unknown", A("zHELLO\0"));
        Add("n unknown", A("nHELLO\n"));
        Add("empty z", A("z\0"));
        Add("empty n", A("n\n"));
        Add("empty line", A("\n"));
        Add("long unknown", A("z" + new string('A', 3000) + "\0"));
        Add("two commands, one reply", A("zVERSION\0zPING\0"));
        Add("INSTREAM clean", Wire.Stream("hello world\n"u8.ToArray()));
        Add("INSTREAM EICAR", Wire.Stream(Wire.Eicar));
        Add("nINSTREAM EICAR", Wire.Stream(Wire.Eicar, "nINSTREAM\n"));
        Add("legacy INSTREAM refused", Wire.Stream(Wire.Eicar, "INSTREAM\n"));
        Add("INSTREAM empty", Wire.Stream([]));
        Add("INSTREAM over the limit", Wire.Stream(big));
        Add("INSTREAM length 0xFFFFFFFF", [.. A("zINSTREAM\0"), 0xFF, 0xFF, 0xFF, 0xFF]);
        Add("INSTREAM in chunks", [.. A("zINSTREAM\0"), 0, 0, 0, 10, .. Wire.Eicar[..10], 0, 0, 0, (byte)(Wire.Eicar.Length - 10), .. Wire.Eicar[10..], 0, 0, 0, 0]);
        Add("SCAN missing", A("zSCAN /nonexistent/x\0"));
        Add("SCAN relative missing", A("zSCAN relative/x\0"));
        Add("SCAN without argument", A("zSCAN\0"));
        Add("SCAN empty argument", A("zSCAN \0"));
        Add("CONTSCAN missing", A("zCONTSCAN /nonexistent\0"));
        Add("MULTISCAN missing", A("zMULTISCAN /nonexistent\0"));
        Add("ALLMATCHSCAN missing", A("zALLMATCHSCAN /nonexistent\0"));
        Add("RELOAD", A("nRELOAD\n"));
        Add("END outside a session", A("zEND\0"));
        Add("legacy SESSION", A("SESSION\n"));
        Add("IDSESSION", [.. A("zIDSESSION\0zPING\0zVERSION\0"), .. Wire.Stream(Wire.Eicar), .. A("zEND\0")]);
        Add("IDSESSION mixed forms", A("nIDSESSION\nzPING\0nEND\n"));
        Add("IDSESSION unknown command", A("zIDSESSION\0zHELLO\0zEND\0"));
        Add("IDSESSION nested", A("zIDSESSION\0zIDSESSION\0zEND\0"));
        Add("IDSESSION RELOAD refused", A("zIDSESSION\0zRELOAD\0zEND\0"));
        Add("IDSESSION over the limit", [.. A("zIDSESSION\0"), .. Wire.Stream(big), .. A("zPING\0zEND\0")]);
        Add("IDSESSION missing file", A("nIDSESSION\nnSCAN /nonexistent\nnEND\n"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SameBytesAsClamd(string name, string request)
    {
        var bytes = Convert.FromBase64String(request);
        var clamd = await Wire.ExchangeAsync(servers.ClamdUnix, bytes);
        var postern = await Wire.ExchangeAsync(servers.PosternUnix, bytes);
        Assert.True(Normalize(clamd) == Normalize(postern), $"{name}:\nclamd:   {Show(clamd)}\npostern: {Show(postern)}");
    }

    public static TheoryData<string> FileCases() => new()
    {
        "zSCAN {0}/tree/eicar.com\0",
        "zSCAN {0}/tree/sub/../eicar.com\0",
        "zSCAN {0}/tree/clean.txt\0",
        "SCAN {0}/tree/eicar.com\n",
        "zSCAN {0}/tree\0",
        "zCONTSCAN {0}/tree\0",
        "zMULTISCAN {0}/tree\0",
        "zALLMATCHSCAN {0}/tree\0",
        "zALLMATCHSCAN {0}/tree/sub/both.bin\0",
        "zCONTSCAN {0}/tree/sub/both.bin\0",
        "zIDSESSION\0zSCAN {0}/tree\0zEND\0",
    };

    [Theory]
    [MemberData(nameof(FileCases))]
    public async Task SameBytesAsClamdOnFiles(string template)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, servers.Directory));
        var clamd = Normalize(await Wire.ExchangeAsync(servers.ClamdUnix, bytes));
        var postern = Normalize(await Wire.ExchangeAsync(servers.PosternUnix, bytes));
        if (template.Contains("MULTISCAN", StringComparison.Ordinal))
        {
            // clamd's MULTISCAN answers in the order its threads finish: compare the set of lines.
            (clamd, postern) = (string.Join('\0', clamd.Split('\0').Order(StringComparer.Ordinal)), string.Join('\0', postern.Split('\0').Order(StringComparer.Ordinal)));
        }

        Assert.True(clamd == postern, $"clamd:   {Show(clamd)}\npostern: {Show(postern)}");
    }

    [Fact]
    public async Task TcpGivesTheSameAnswersAsTheUnixSocket()
    {
        foreach (var request in new[] { Wire.Stream(Wire.Eicar), "nPING\n"u8.ToArray() })
        {
            var clamd = await Wire.ExchangeAsync(servers.ClamdTcp, request);
            var postern = await Wire.ExchangeAsync(servers.PosternTcp, request);
            Assert.Equal(Normalize(clamd), Normalize(postern));
        }
    }

    [Fact]
    public async Task VersionCommandsListsOnlyCommandsClamdHasAndNoShutdown()
    {
        var clamd = await Wire.ExchangeAsync(servers.ClamdUnix, "zVERSIONCOMMANDS\0"u8.ToArray());
        var postern = await Wire.ExchangeAsync(servers.PosternUnix, "zVERSIONCOMMANDS\0"u8.ToArray());
        var theirs = clamd.TrimEnd('\0').Split("| COMMANDS: ")[1].Split(' ');
        var ours = postern.TrimEnd('\0').Split("| COMMANDS: ")[1].Split(' ');
        Assert.StartsWith("ClamAV 1.4.6 (Postern", postern, StringComparison.Ordinal);
        Assert.Subset(theirs.ToHashSet(), ours.ToHashSet());
        Assert.DoesNotContain("SHUTDOWN", ours);
        Assert.Contains("INSTREAM", ours);
        Assert.Contains("FILDES", ours);
        Assert.Contains("IDSESSION", ours);
    }

    private static string Normalize(string reply) =>
        VersionText().Replace(reply.Replace(".UNOFFICIAL", "", StringComparison.Ordinal), "<version>").Replace("<reset>", "", StringComparison.Ordinal);

    private static string Show(string s) => s.Replace("\0", "\\0", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    [GeneratedRegex(@"ClamAV [0-9][^\0\n|]*")]
    private static partial Regex VersionText();
}
