namespace Postern.Protocols.Smtp;

/// <summary>One SMTP reply: the three-digit code and its text lines (continuations joined with newlines).</summary>
/// <param name="Code">The reply code, 200 to 599.</param>
/// <param name="Text">The text after the code, one line per reply line.</param>
public sealed record SmtpReply(int Code, string Text)
{
    /// <summary>2xx: the command succeeded.</summary>
    public bool IsPositive => Code is >= 200 and < 300;

    /// <summary>4xx: try again later.</summary>
    public bool IsTransient => Code is >= 400 and < 500;

    /// <inheritdoc/>
    public override string ToString() => $"{Code} {Text.Replace('\n', ' ')}";
}
