using System.Text;
using System.Text.RegularExpressions;

namespace Postern.Plugins.Mta.Exim;

/// <summary>
/// The Exim-specific edits, as pure functions of a file's text: <c>av_scanner = clamd:SOCKET</c> in the main
/// section and <c>deny malware = *</c> at the top of the DATA ACL, each between <c># BEGIN postern</c> and
/// <c># END postern</c> lines. Idempotent: a second run rewrites the blocks in place. Every other byte is kept, but an
/// active <c>av_scanner</c> line of the administrator's is commented out (<c># postern: </c>), since Exim has one.
/// </summary>
internal static partial class EximConfigEditor
{
    public const string MainBegin = "# BEGIN postern: av_scanner (postern setup exim; undo with postern setup exim --uninstall)";
    public const string AclBegin = "# BEGIN postern: malware check (postern setup exim; undo with postern setup exim --uninstall)";
    public const string End = "# END postern";
    public const string DenyMessage = "This message contains malware ($malware_name)";

    public static string MainBlock(string socket) =>
        $"{MainBegin}\n# Exim asks Postern's clamd server; a scanner failure defers (4xx), nothing passes unscanned.\nav_scanner = clamd:{socket}\n{End}\n";

    public static string AclBlock() =>
        $"  {AclBegin}\n  deny    malware = *\n          message = {DenyMessage}\n  {End}\n";

    /// <summary>Adds av_scanner to a file holding the main section (a whole config, the template, or a split main
    /// file): where the commented example is, else before the first <c>begin</c>, else at the end.</summary>
    public static string EditMain(string text, string socket)
    {
        var nl = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = SplitLines(text);
        var (start, end) = FindBlock(lines, MainBegin);
        if (start >= 0)
        {
            lines.RemoveRange(start, end - start + 1);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if (ActiveAvScanner().IsMatch(lines[i]))
            {
                lines[i] = "# postern: " + lines[i];
            }
        }

        var at = start >= 0 ? start : lines.FindIndex(l => AvScannerExample().IsMatch(l));
        if (at < 0)
        {
            at = lines.FindIndex(l => BeginLine().IsMatch(l));
        }

        if (at < 0)
        {
            at = lines.Count;
        }

        lines.InsertRange(at, SplitLines(MainBlock(socket)));
        return Join(lines, nl, text);
    }

    /// <summary>Adds the deny to the DATA ACL named by <c>acl_smtp_data</c> (macros defined in the same text are
    /// followed; <paramref name="fallbackAcl"/> when the text does not set it). Returns null when there is no such
    /// ACL in this text.</summary>
    public static string? EditDataAcl(string text, string fallbackAcl)
    {
        var nl = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = SplitLines(text);
        var (start, end) = FindBlock(lines, AclBegin);
        if (start >= 0)
        {
            lines.RemoveRange(start, end - start + 1);
        }

        var acl = DataAclName(lines) ?? fallbackAcl;
        var label = lines.FindIndex(l => l.Trim() == acl + ":");
        if (label < 0)
        {
            return null;
        }

        lines.InsertRange(label + 1, SplitLines(AclBlock()));
        return Join(lines, nl, text);
    }

    /// <summary>Adds a DATA ACL of Postern's own to a config that has none (no acl_smtp_data): the option in the main
    /// section and the ACL at the start of <c>begin acl</c> (added before the next section when missing).</summary>
    public static string AddDataAcl(string text)
    {
        const string name = "acl_postern_check_data";
        var nl = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = SplitLines(text);
        if (lines.Exists(l => l.Trim() == name + ":"))
        {
            return text;
        }

        var begin = lines.FindIndex(l => BeginLine().IsMatch(l));
        var option = new[] { AclBegin, "acl_smtp_data = " + name, End };
        var aclBody = new[] { AclBegin, name + ":", "  deny    malware = *", "          message = " + DenyMessage, "  accept", End };
        var aclSection = lines.FindIndex(l => l.Trim() == "begin acl");
        if (aclSection >= 0)
        {
            lines.InsertRange(aclSection + 1, aclBody);
        }
        else if (begin >= 0)
        {
            lines.InsertRange(begin, ["begin acl", .. aclBody, ""]);
        }
        else
        {
            lines.AddRange(["begin acl", .. aclBody]);
        }

        lines.InsertRange(begin >= 0 ? begin : 0, option);
        return Join(lines, nl, text);
    }

    /// <summary>The value of acl_smtp_data in these lines, a macro followed one step when it is one.</summary>
    public static string? DataAclName(IReadOnlyList<string> lines)
    {
        string? value = null;
        foreach (var l in lines)
        {
            var m = AclSmtpData().Match(l);
            if (m.Success)
            {
                value = m.Groups[1].Value;
            }
        }

        if (value is null || !MacroName().IsMatch(value))
        {
            return value;
        }

        foreach (var l in lines)
        {
            var m = Regex.Match(l, @"^\s*" + Regex.Escape(value) + @"\s*=\s*(\S+)\s*$");
            if (m.Success)
            {
                return m.Groups[1].Value;
            }
        }

        return value;
    }

    private static (int Start, int End) FindBlock(List<string> lines, string begin)
    {
        var start = lines.FindIndex(l => l.Trim() == begin);
        if (start < 0)
        {
            return (-1, -1);
        }

        var end = lines.FindIndex(start, l => l.Trim() == End);
        return end < 0 ? (-1, -1) : (start, end);
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static string Join(List<string> lines, string nl, string original)
    {
        var b = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            b.Append(lines[i]);
            if (i < lines.Count - 1 || original.Length == 0 || original.EndsWith('\n'))
            {
                b.Append(nl);
            }
        }

        return b.ToString();
    }

    [GeneratedRegex(@"^\s*av_scanner\s*=")]
    private static partial Regex ActiveAvScanner();

    [GeneratedRegex(@"^\s*#\s*av_scanner\s*=")]
    private static partial Regex AvScannerExample();

    [GeneratedRegex(@"^\s*begin\s+\w+\s*$")]
    private static partial Regex BeginLine();

    [GeneratedRegex(@"^\s*acl_smtp_data\s*=\s*(\S+)\s*$")]
    private static partial Regex AclSmtpData();

    [GeneratedRegex(@"^[A-Z][A-Z0-9_]*$")]
    private static partial Regex MacroName();
}
