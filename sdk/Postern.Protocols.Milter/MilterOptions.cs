namespace Postern.Protocols.Milter;

/// <summary>
/// Limits and negotiation choices of a milter session. Immutable; one instance may serve many sessions.
/// </summary>
public sealed record MilterOptions
{
    /// <summary>The actions asked for in negotiation (the session takes those the MTA offers).</summary>
    public MilterActions Actions { get; init; } = MilterActions.AddHeaders | MilterActions.ChangeHeaders | MilterActions.ChangeBody
        | MilterActions.DeleteRecipient | MilterActions.Quarantine;

    /// <summary>Stages the handler answers; every other stage is asked as no-reply (SMFIP_NR_*) when the MTA offers it,
    /// and answered CONTINUE at once when it does not.</summary>
    public IReadOnlySet<MilterStage> RepliedStages { get; init; } = new HashSet<MilterStage>();

    /// <summary>Whether to ask for SMFIP_HDR_LEADSPC (header values exactly as received, both ways).</summary>
    public bool HeaderLeadingSpace { get; init; } = true;

    /// <summary>The largest packet data accepted (libmilter's default; Postfix never sends a chunk past it).</summary>
    public int MaxPacketData { get; init; } = MilterProtocol.MaxDataSize;

    /// <summary>Headers per message; past it the message is answered <see cref="OverflowReply"/>.</summary>
    public int MaxHeaders { get; init; } = 2000;

    /// <summary>Header bytes per message (names and values).</summary>
    public long MaxHeaderBytes { get; init; } = 1024 * 1024;

    /// <summary>Body bytes per message held for the handler; past it the message is answered <see cref="OverflowReply"/>.</summary>
    public long MaxMessageSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long the MTA may stay silent between packets (and inside one) before the session closes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most the handler may take at end of message; past it the MTA gets <see cref="FailureReply"/>.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>How often to send PROGRESS while the handler works, so the MTA's reply timeout does not fire.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The answer when a message passes a limit (a tempfail: nothing unscanned passes).</summary>
    public MilterReply OverflowReply { get; init; } = MilterReply.Code(452, "4.3.4", "Message too large for the virus scanner, try again later");

    /// <summary>The answer when the handler fails or runs out of time.</summary>
    public MilterReply FailureReply { get; init; } = MilterReply.Code(451, "4.7.1", "Virus scanner unavailable, try again later");
}
