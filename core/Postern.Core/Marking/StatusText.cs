using System.Text;
using Postern.Core.Policy;

namespace Postern.Core.Marking;

/// <summary>The words of <c>X-Virus-Status</c> and of the <c>%status%</c> placeholder, made safe for a header:
/// printable ASCII only (names come from signature databases and reasons from senders' file names), bounded length.</summary>
public static class StatusText
{
    // Keeps X-Virus-Status far below RFC 5322's 998-octet line limit without folding.
    private const int MaxDetail = 300;

    public static string For(VerdictStatus status, string detail) => status switch
    {
        VerdictStatus.Clean => "Clean",
        VerdictStatus.Infected => $"Infected ({Safe(detail)})",
        VerdictStatus.Deleted => $"Cleaned ({Safe(detail)})",
        _ => $"Not scanned ({Safe(detail)})",
    };

    public static string Safe(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxDetail + 3));
        foreach (var c in text)
        {
            if (sb.Length == MaxDetail)
            {
                sb.Append("...");
                break;
            }

            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return sb.ToString();
    }
}
