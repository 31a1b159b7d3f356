using Postern.Sdk.Messages;

namespace Postern.Host.Mda;

/// <summary>The parsed command line of <c>postern mda</c>. Immutable once parsed. Compiled into the native
/// <c>postern-mda</c> too (core/Postern.Mda.Native), so both read one command line.</summary>
internal sealed class MdaOptions
{
    public string? ConfigPath { get; private set; }

    public string? Sender { get; private set; }

    public List<string> Recipients { get; } = [];

    public MdaCaller Caller { get; private set; } = MdaCaller.Postfix;

    public string Agent { get; private set; } = "mda";

    public string? QueueId { get; private set; }

    public string? SocketPath { get; private set; }

    public bool NoDaemon { get; private set; }

    public string? SpoolDirectory { get; private set; }

    public bool Help { get; private set; }

    /// <summary>The real MDA and its arguments: everything after <c>--</c>, given to it as is (no shell).</summary>
    public IReadOnlyList<string> Mda { get; private set; } = [];

    /// <summary>The envelope handed to the daemon or the in-process scan.</summary>
    public Envelope Envelope => new(Sender ?? "", [.. Recipients], QueueId: QueueId, Agent: Agent);

    public const string Usage = """
        Usage: postern [-c postern.conf] mda [options] -- REAL-MDA [ARGS...]
        Scans the message on standard input, applies the policy, and pipes the (marked or cleaned) message into
        REAL-MDA, returning its exit status; reject, discard and defer give the caller's codes (see --caller).
          -f, --sender ADDR        envelope sender (default: $SENDER)
          -r, -d, --recipient ADDR envelope recipient, repeatable (default: $RECIPIENT)
          --caller postfix|exim|sendmail|qmail   exit codes for the caller (default postfix)
          --agent NAME             policy section (default mda)
          --queue-id ID            for the log (default: $QUEUE_ID or $MESSAGE_ID)
          --socket PATH            the daemon's socket (default: [global] run_dir/postern.sock)
          --no-daemon              scan in this process even when a daemon runs
          --spool-dir DIR          where a message over 1 MiB is spooled (default: $TMPDIR or /tmp)
        """;

    /// <summary>Whether the arguments name the <c>mda</c> verb (the first word before <c>--</c> that is not
    /// <c>-c FILE</c>).</summary>
    public static bool Matches(string[] args) => VerbIndex(args) >= 0;

    /// <summary>Where the <c>mda</c> verb is in the arguments, or -1 when they do not name it.</summary>
    public static int VerbIndex(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-c" or "--config")
            {
                i++;
                continue;
            }

            return args[i] == "mda" ? i : -1;
        }

        return -1;
    }

    /// <summary>Parses; returns the options or an error text.</summary>
    public static (MdaOptions? Options, string? Error) Parse(string[] args, Func<string, string?> environment)
    {
        var o = new MdaOptions();
        var i = 0;
        var sawVerb = false;
        for (; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                i++;
                break;
            }

            if (a == "mda" && !sawVerb)
            {
                sawVerb = true;
                continue;
            }

            if (a is "-h" or "--help")
            {
                o.Help = true;
                return (o, null);
            }

            if (a == "--no-daemon")
            {
                o.NoDaemon = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                return (null, $"{a}: missing value or unknown option");
            }

            var v = args[++i];
            switch (a)
            {
                case "-c" or "--config":
                    o.ConfigPath = v;
                    break;
                case "-f" or "--sender":
                    o.Sender = v;
                    break;
                case "-r" or "-d" or "--recipient":
                    o.Recipients.Add(v);
                    break;
                case "--caller":
                    if (MdaExitCodes.Parse(v) is not { } caller)
                    {
                        return (null, $"--caller {v}: expected postfix, exim, sendmail or qmail");
                    }

                    o.Caller = caller;
                    break;
                case "--agent":
                    o.Agent = v;
                    break;
                case "--queue-id":
                    o.QueueId = v;
                    break;
                case "--socket":
                    o.SocketPath = v;
                    break;
                case "--spool-dir":
                    o.SpoolDirectory = v;
                    break;
                default:
                    return (null, $"unknown option {a}");
            }
        }

        if (!sawVerb)
        {
            return (null, "not the mda verb");
        }

        o.Mda = args[i..];
        if (o.Mda.Count == 0)
        {
            return (null, "no real MDA after --");
        }

        o.Sender ??= environment("SENDER") ?? "";
        if (o.Recipients.Count == 0 && environment("RECIPIENT") is { Length: > 0 } rcpt)
        {
            o.Recipients.Add(rcpt);
        }

        o.Sender = Unbracket(o.Sender);
        for (var r = 0; r < o.Recipients.Count; r++)
        {
            o.Recipients[r] = Unbracket(o.Recipients[r]);
        }

        o.QueueId ??= environment("QUEUE_ID") ?? environment("MESSAGE_ID");
        return (o, null);
    }

    /// <summary>The caller named on a command line that did not parse, for the exit code of its temporary failure;
    /// Postfix when there is none.</summary>
    public static MdaCaller CallerHint(string[] args)
    {
        var i = Array.IndexOf(args, "--caller");
        return i >= 0 && i + 1 < args.Length && MdaExitCodes.Parse(args[i + 1]) is { } c ? c : MdaCaller.Postfix;
    }

    private static string Unbracket(string address) =>
        address.Length >= 2 && address[0] == '<' && address[^1] == '>' ? address[1..^1] : address;
}
