using System.Text;
using Postern.Core.Configuration;

namespace Postern.Core.Tests.Configuration;

public sealed class ConfigParserTests
{
    [Fact]
    public void Parse_EsetsStyleFile_ReadsSectionsQuotesBooleansAndComments()
    {
        const string text = """
            # a comment
            ; another comment
            [global]
            database_dir = "/var/lib/clamav"   # trailing comment
            scan_timeout = 30s ; trailing comment
            [engine-signatures]
            enabled = yes
            note = "a \"quoted\" value; with # inside"
            """;
        var file = ConfigParser.Parse(text, "postern.conf");

        Assert.Empty(file.Diagnostics);
        Assert.Equal("/var/lib/clamav", file.Global["database_dir"]);
        Assert.Equal("30s", file.Global["scan_timeout"]);
        Assert.Equal("yes", file.Section("ENGINE-SIGNATURES")["enabled"]);
        Assert.Equal("a \"quoted\" value; with # inside", file.Section("engine-signatures")["note"]);
    }

    [Theory]
    [InlineData("[global]\nno equals sign here", 2, "expected 'name = value'")]
    [InlineData("key = value", 1, "appears before any [section]")]
    [InlineData("[global]\nkey = \"unterminated", 2, "unterminated quoted value")]
    [InlineData("[global\n", 1, "malformed section header")]
    [InlineData("[global]\nk!ey = x", 2, "invalid setting name")]
    [InlineData("[global]\nkey = \"a\" junk", 2, "unexpected text after the closing quote")]
    public void Parse_BrokenLine_ReportsFileLineAndCause(string text, int line, string cause)
    {
        var file = ConfigParser.Parse(text, "/etc/postern.conf");

        var d = Assert.Single(file.Diagnostics, x => x.Severity == ConfigSeverity.Error);
        Assert.Equal(line, d.Line);
        Assert.Contains(cause, d.Message, StringComparison.Ordinal);
        Assert.StartsWith($"/etc/postern.conf:{line}: error: ", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedSetting_WarnsAndLastWins()
    {
        var file = ConfigParser.Parse("[global]\nlog_level = info\nlog_level = debug\n", "c");

        Assert.False(file.HasErrors);
        Assert.Equal(3, Assert.Single(file.Diagnostics).Line);
        Assert.Equal("debug", file.Global["log_level"]);
    }

    [Fact]
    public void Parse_BinaryOrBadUtf8_IsRefusedWithAReason()
    {
        Assert.Contains("NUL", ConfigParser.Parse("[global]\0"u8, "c").Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", ConfigParser.Parse(new byte[] { 0x5b, 0xff, 0xfe, 0x5d }, "c").Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CrLfAndBom_AreAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat("[global]\r\nlog_level = warning\r\n"u8.ToArray()).ToArray();

        var file = ConfigParser.Parse(bytes, "c");

        Assert.Empty(file.Diagnostics);
        Assert.Equal("warning", file.Global["log_level"]);
    }

    [Fact]
    public void Load_MissingFile_IsAnErrorNotAnException()
    {
        var file = ConfigParser.Load("/nonexistent/postern.conf");

        Assert.True(file.HasErrors);
        Assert.Contains("file not found", file.Diagnostics[0].Message, StringComparison.Ordinal);
    }
}
