using System.Text;

namespace Postern.Protocols.Milter;

/// <summary>
/// A decision response (<c>c</c>, <c>a</c>, <c>r</c>, <c>t</c>, <c>d</c>, or <c>y</c> with SMTP text). Immutable.
/// <see cref="Code"/> validates the text as Postfix and Sendmail require and throws <see cref="ArgumentException"/>
/// for text they would refuse (which they would turn into their default action).
/// </summary>
public sealed record MilterReply
{
    private MilterReply(byte letter, string? text)
    {
        Letter = letter;
        Text = text;
    }

    /// <summary>The response letter.</summary>
    public byte Letter { get; }

    /// <summary>The SMTP reply text of a <c>y</c> response, as sent (percent signs doubled).</summary>
    public string? Text { get; }

    /// <summary>Go on with the next step.</summary>
    public static MilterReply Continue { get; } = new(MilterProtocol.Response.Continue, null);

    /// <summary>Accept the message (or the connection, at CONNECT) without further events.</summary>
    public static MilterReply Accept { get; } = new(MilterProtocol.Response.Accept, null);

    /// <summary>The MTA's generic 5xx.</summary>
    public static MilterReply Reject { get; } = new(MilterProtocol.Response.Reject, null);

    /// <summary>The MTA's generic 4xx.</summary>
    public static MilterReply Tempfail { get; } = new(MilterProtocol.Response.Tempfail, null);

    /// <summary>Accept, then drop the message silently.</summary>
    public static MilterReply Discard { get; } = new(MilterProtocol.Response.Discard, null);

    /// <summary>Whether this reply refuses the message (reject, tempfail, or a 4xx/5xx code).</summary>
    public bool Refuses => Letter is MilterProtocol.Response.Reject or MilterProtocol.Response.Tempfail or MilterProtocol.Response.ReplyCode;

    /// <summary>
    /// A custom reply: <paramref name="code"/> 4xx or 5xx, <paramref name="enhanced"/> (x.y.z with the same class,
    /// or empty) and one line of text. Control characters become spaces, non-ASCII becomes '?', <c>%</c> is doubled
    /// (Sendmail reads the text as a format), and the line is cut to 900 characters (Sendmail's limit is 980).
    /// </summary>
    public static MilterReply Code(int code, string enhanced, string text)
    {
        if (code is < 400 or > 599)
        {
            throw new ArgumentException($"reply code {code} is not 4xx or 5xx", nameof(code));
        }

        if (enhanced.Length > 0 && (enhanced[0] - '0' != code / 100 || !IsEnhanced(enhanced)))
        {
            throw new ArgumentException($"enhanced code '{enhanced}' does not match reply code {code}", nameof(enhanced));
        }

        var clean = new StringBuilder();
        foreach (var c in text)
        {
            clean.Append(c < 0x20 || c == 0x7F ? ' ' : c > 0x7E ? '?' : c == '%' ? "%%" : c.ToString());
        }

        var line = enhanced.Length > 0 ? $"{code} {enhanced} {clean}" : $"{code} {clean}";
        return new MilterReply(MilterProtocol.Response.ReplyCode, line.Length > 900 ? line[..900] : line);
    }

    private static bool IsEnhanced(string s)
    {
        var parts = s.Split('.');
        return parts.Length == 3 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }

    /// <summary>The packet data of this reply.</summary>
    public byte[] Data() => Text is null ? [] : MilterFraming.JoinStrings(Text);
}

/// <summary>A modification requested at end of message. Immutable.</summary>
public abstract record MilterModification
{
    /// <summary>The action bit the MTA must have granted.</summary>
    public abstract MilterActions Requires { get; }

    /// <summary>The response letter.</summary>
    public abstract byte Letter { get; }

    /// <summary>The packet data (a body replacement is cut into chunks by the session).</summary>
    public abstract byte[] Data();

    private protected static byte[] Indexed(int index, string name, string value)
    {
        var strings = MilterFraming.JoinStrings(name, value);
        var data = new byte[4 + strings.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data, (uint)index);
        strings.CopyTo(data, 4);
        return data;
    }
}

/// <summary>SMFIR_ADDHEADER: append a header. The value is in milter form (LF between folded lines; leading space
/// included when the session negotiated HDR_LEADSPC).</summary>
public sealed record AddHeader(string Name, string Value) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.AddHeaders;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.AddHeader;
    /// <inheritdoc/>
    public override byte[] Data() => MilterFraming.JoinStrings(Name, Value);
}

/// <summary>SMFIR_INSHEADER: insert a header before the header at <paramref name="Index"/> (0 = first).</summary>
public sealed record InsertHeader(int Index, string Name, string Value) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.AddHeaders;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.InsertHeader;
    /// <inheritdoc/>
    public override byte[] Data() => Indexed(Index, Name, Value);
}

/// <summary>SMFIR_CHGHEADER: change the <paramref name="Index"/>th (1-based) header of this name; an empty value deletes it.</summary>
public sealed record ChangeHeader(int Index, string Name, string Value) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.ChangeHeaders;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.ChangeHeader;
    /// <inheritdoc/>
    public override byte[] Data() => Indexed(Index, Name, Value);
}

/// <summary>SMFIR_REPLBODY: the new body (CRLF line ends); the session sends it in chunks of at most 65,535 bytes.</summary>
public sealed record ReplaceBody(ReadOnlyMemory<byte> Body) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.ChangeBody;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.ReplaceBody;
    /// <inheritdoc/>
    public override byte[] Data() => Body.ToArray();
}

/// <summary>SMFIR_ADDRCPT: add a recipient.</summary>
public sealed record AddRecipient(string Recipient) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.AddRecipient;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.AddRecipient;
    /// <inheritdoc/>
    public override byte[] Data() => MilterFraming.JoinStrings(Recipient);
}

/// <summary>SMFIR_ADDRCPT_PAR: add a recipient with ESMTP arguments (Postfix honours NOTIFY and ORCPT).</summary>
public sealed record AddRecipientWithArgs(string Recipient, string Args) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.AddRecipientWithArgs;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.AddRecipientWithArgs;
    /// <inheritdoc/>
    public override byte[] Data() => MilterFraming.JoinStrings(Recipient, Args);
}

/// <summary>SMFIR_DELRCPT: remove a recipient; the string must be the one the MTA sent in RCPT.</summary>
public sealed record DeleteRecipient(string Recipient) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.DeleteRecipient;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.DeleteRecipient;
    /// <inheritdoc/>
    public override byte[] Data() => MilterFraming.JoinStrings(Recipient);
}

/// <summary>SMFIR_CHGFROM: change the envelope sender.</summary>
public sealed record ChangeFrom(string Sender) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.ChangeFrom;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.ChangeFrom;
    /// <inheritdoc/>
    public override byte[] Data() => MilterFraming.JoinStrings(Sender);
}

/// <summary>SMFIR_QUARANTINE: put the message in the MTA's hold queue with a reason (not a decision by itself).</summary>
public sealed record QuarantineMessage(string Reason) : MilterModification
{
    /// <inheritdoc/>
    public override MilterActions Requires => MilterActions.Quarantine;
    /// <inheritdoc/>
    public override byte Letter => MilterProtocol.Response.Quarantine;
    /// <inheritdoc/>
    public override byte[] Data() => MilterFraming.JoinStrings(Reason);
}

/// <summary>What a handler decides at end of message: modifications (sent in order; header changes must come
/// before a body replacement) and one final reply. Immutable.</summary>
/// <param name="Modifications">The modifications, possibly none.</param>
/// <param name="Final">The final decision.</param>
public sealed record MilterResult(IReadOnlyList<MilterModification> Modifications, MilterReply Final)
{
    /// <summary>A result with no modifications.</summary>
    public static MilterResult Of(MilterReply reply) => new([], reply);
}
