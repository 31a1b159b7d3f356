using System.Text;

namespace Postern.Core.Logging;

/// <summary>Splits the administrator's <c>av_notify_command</c> into argv: spaces separate, double or single quotes
/// group, backslash escapes inside double quotes. Only the configuration is split; message data is never parsed.</summary>
public static class CommandLineSplitter
{
    public static IReadOnlyList<string> Split(string command)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inArg = false;
        char quote = '\0';
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < command.Length)
                {
                    current.Append(command[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inArg = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArg)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inArg = false;
                }
            }
            else
            {
                current.Append(c);
                inArg = true;
            }
        }

        if (inArg)
        {
            args.Add(current.ToString());
        }

        return args;
    }
}
