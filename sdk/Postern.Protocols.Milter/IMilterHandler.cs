namespace Postern.Protocols.Milter;

/// <summary>The stages a handler may answer before end of message.</summary>
public enum MilterStage
{
    /// <summary>CONNECT.</summary>
    Connect,
    /// <summary>HELO.</summary>
    Helo,
    /// <summary>MAIL FROM.</summary>
    Mail,
    /// <summary>RCPT TO (the last entry of <see cref="MilterMessage.RecipientArgs"/>).</summary>
    Recipient,
    /// <summary>DATA.</summary>
    Data,
    /// <summary>End of headers.</summary>
    EndOfHeaders,
}

/// <summary>
/// What a milter does with what the session collected. One instance serves every session of a listener, so it must
/// be thread-safe; each call gets the session's own <see cref="MilterMessage"/>. <see cref="EndOfMessageAsync"/> runs
/// on the session's thread until it first waits; while it waits, the session keeps the MTA waiting with PROGRESS
/// packets, so work that may take long should await (or honour its token often, as a scan does). An exception from
/// it, or running past the session's time limit, becomes a tempfail to the MTA; it never closes the listener.
/// </summary>
public interface IMilterHandler
{
    /// <summary>Answers a stage the session negotiated a reply for (see <see cref="MilterOptions.RepliedStages"/>);
    /// <see cref="MilterReply.Continue"/> by default.</summary>
    ValueTask<MilterReply> OnStageAsync(MilterStage stage, MilterMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(MilterReply.Continue);

    /// <summary>Decides the message: modifications and the final reply.</summary>
    ValueTask<MilterResult> EndOfMessageAsync(MilterMessage message, CancellationToken cancellationToken);
}
