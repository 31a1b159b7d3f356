namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Reads the inside of an <c>(aa|bb|cc)</c> group: plain hex options, all of one width.</summary>
internal static class AlternativeReader
{
    public static bool TryRead(ReadOnlySpan<char> body, out int width, out byte[] options, out LineIssue issue)
    {
        width = -1;
        options = [];
        issue = default;
        var bytes = new List<byte>();
        var count = 0;
        foreach (var range in body.Split('|'))
        {
            var option = body[range];
            if (option.Length == 0 || option.Length % 2 != 0)
            {
                issue = new LineIssue(IssueKinds.Malformed, $"bad alternative '{option}'");
                return false;
            }

            if (option.Contains('?'))
            {
                issue = new LineIssue(IssueKinds.Alternative, "wildcards inside alternatives are not supported");
                return false;
            }

            if (width >= 0 && option.Length / 2 != width)
            {
                issue = new LineIssue(IssueKinds.Alternative, "alternatives of different lengths are not supported");
                return false;
            }

            width = option.Length / 2;
            if (!TryAppendHex(option, bytes))
            {
                issue = new LineIssue(IssueKinds.Malformed, $"bad hex in alternative '{option}'");
                return false;
            }

            count++;
        }

        if (count < 2)
        {
            issue = new LineIssue(IssueKinds.Malformed, "a group needs at least two alternatives");
            return false;
        }

        options = [.. bytes];
        return true;
    }

    private static bool TryAppendHex(ReadOnlySpan<char> hex, List<byte> into)
    {
        for (var i = 0; i < hex.Length; i += 2)
        {
            if (!HexPatternParser.TryNibble(hex[i], out var high, out _)
                || !HexPatternParser.TryNibble(hex[i + 1], out var low, out _))
            {
                return false;
            }

            into.Add((byte)((high << 4) | low));
        }

        return true;
    }
}
