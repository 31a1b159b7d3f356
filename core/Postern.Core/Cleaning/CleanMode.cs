namespace Postern.Core.Cleaning;

/// <summary>The values of <c>av_clean_mode</c>.</summary>
public enum CleanMode
{
    /// <summary>Never change the message.</summary>
    None,

    /// <summary>Replace each part an engine found something in with a notice.</summary>
    Standard,

    /// <summary>Also replace each part that could not be scanned (encrypted archive, limit), so what passes was
    /// entirely scanned.</summary>
    Strict,
}
