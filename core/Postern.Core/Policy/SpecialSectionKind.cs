namespace Postern.Core.Policy;

/// <summary>What a section of a <c>user_config</c> file applies to, by the shape of its name.</summary>
public enum SpecialSectionKind
{
    /// <summary><c>[user@domain]</c>: mail to this recipient.</summary>
    Recipient,

    /// <summary><c>[@domain]</c>: mail to any recipient in this domain.</summary>
    RecipientDomain,

    /// <summary><c>[|user@domain]</c>: mail from this envelope sender (<c>[|&lt;&gt;]</c> for the null sender).</summary>
    Sender,

    /// <summary><c>[|@domain]</c>: mail from any sender in this domain.</summary>
    SenderDomain,

    /// <summary><c>[recipient|sender]</c>: mail from this sender to this recipient (either side may be <c>@domain</c>).</summary>
    Pair,

    /// <summary><c>[name]</c> without '@' or '|': a group, applied only through <c>parent_id</c>.</summary>
    Group,
}
