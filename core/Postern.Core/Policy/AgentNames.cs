namespace Postern.Core.Policy;

/// <summary>The sections that configure an agent (an MTA adapter or a scanning front end) and may override the
/// policy settings of <c>[global]</c>. Fixed for now; adapters will declare theirs when they exist.</summary>
public static class AgentNames
{
    public static IReadOnlyList<string> All { get; } =
        ["postfix", "sendmail", "exim", "qmail", "zmailer", "mda", "smtp", "pop3", "imap", "clamd", "cli"];

    public static bool IsAgent(string section) => All.Contains(section, StringComparer.OrdinalIgnoreCase);
}
