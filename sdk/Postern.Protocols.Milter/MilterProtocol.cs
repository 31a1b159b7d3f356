namespace Postern.Protocols.Milter;

/// <summary>
/// The constants of milter protocol version 6, as in libmilter's <c>mfdef.h</c> and <c>mfapi.h</c> (Sendmail 8.14+)
/// and Postfix's <c>milter8.c</c>. Pure data; safe from any thread.
/// </summary>
public static class MilterProtocol
{
    /// <summary>The protocol version this kit speaks; an MTA offering more is answered with this, one offering less with its own.</summary>
    public const uint Version = 6;

    /// <summary>The largest data part of a packet without SMFIP_MDS_256K/1M (<c>MILTER_MAX_DATA_SIZE</c>); body chunks are at most this.</summary>
    public const int MaxDataSize = 65535;

    /// <summary>Commands the MTA sends (<c>SMFIC_*</c>).</summary>
    public static class Command
    {
        /// <summary>SMFIC_ABORT: abort the current message; no reply.</summary>
        public const byte Abort = (byte)'A';
        /// <summary>SMFIC_BODY: a body chunk.</summary>
        public const byte Body = (byte)'B';
        /// <summary>SMFIC_CONNECT: host name, family, port, address.</summary>
        public const byte Connect = (byte)'C';
        /// <summary>SMFIC_MACRO: stage letter and name/value pairs; no reply.</summary>
        public const byte Macro = (byte)'D';
        /// <summary>SMFIC_BODYEOB: end of message.</summary>
        public const byte EndOfMessage = (byte)'E';
        /// <summary>SMFIC_HELO.</summary>
        public const byte Helo = (byte)'H';
        /// <summary>SMFIC_QUIT_NC: a new connection follows on the same socket; no reply.</summary>
        public const byte QuitNewConnection = (byte)'K';
        /// <summary>SMFIC_HEADER: name and value.</summary>
        public const byte Header = (byte)'L';
        /// <summary>SMFIC_MAIL: sender and ESMTP arguments.</summary>
        public const byte Mail = (byte)'M';
        /// <summary>SMFIC_EOH: end of headers.</summary>
        public const byte EndOfHeaders = (byte)'N';
        /// <summary>SMFIC_OPTNEG: option negotiation.</summary>
        public const byte OptionNegotiation = (byte)'O';
        /// <summary>SMFIC_QUIT: close; no reply.</summary>
        public const byte Quit = (byte)'Q';
        /// <summary>SMFIC_RCPT: recipient and ESMTP arguments.</summary>
        public const byte Recipient = (byte)'R';
        /// <summary>SMFIC_DATA.</summary>
        public const byte Data = (byte)'T';
        /// <summary>SMFIC_UNKNOWN: an SMTP command the MTA did not know.</summary>
        public const byte Unknown = (byte)'U';
    }

    /// <summary>Responses the filter sends (<c>SMFIR_*</c>).</summary>
    public static class Response
    {
        /// <summary>SMFIR_ADDRCPT.</summary>
        public const byte AddRecipient = (byte)'+';
        /// <summary>SMFIR_DELRCPT.</summary>
        public const byte DeleteRecipient = (byte)'-';
        /// <summary>SMFIR_ADDRCPT_PAR.</summary>
        public const byte AddRecipientWithArgs = (byte)'2';
        /// <summary>SMFIR_SHUTDOWN.</summary>
        public const byte Shutdown = (byte)'4';
        /// <summary>SMFIR_ACCEPT.</summary>
        public const byte Accept = (byte)'a';
        /// <summary>SMFIR_REPLBODY.</summary>
        public const byte ReplaceBody = (byte)'b';
        /// <summary>SMFIR_CONTINUE.</summary>
        public const byte Continue = (byte)'c';
        /// <summary>SMFIR_DISCARD.</summary>
        public const byte Discard = (byte)'d';
        /// <summary>SMFIR_CHGFROM.</summary>
        public const byte ChangeFrom = (byte)'e';
        /// <summary>SMFIR_CONN_FAIL.</summary>
        public const byte ConnectionFail = (byte)'f';
        /// <summary>SMFIR_ADDHEADER.</summary>
        public const byte AddHeader = (byte)'h';
        /// <summary>SMFIR_INSHEADER.</summary>
        public const byte InsertHeader = (byte)'i';
        /// <summary>SMFIR_CHGHEADER.</summary>
        public const byte ChangeHeader = (byte)'m';
        /// <summary>SMFIR_PROGRESS.</summary>
        public const byte Progress = (byte)'p';
        /// <summary>SMFIR_QUARANTINE.</summary>
        public const byte Quarantine = (byte)'q';
        /// <summary>SMFIR_REJECT.</summary>
        public const byte Reject = (byte)'r';
        /// <summary>SMFIR_SKIP.</summary>
        public const byte Skip = (byte)'s';
        /// <summary>SMFIR_TEMPFAIL.</summary>
        public const byte Tempfail = (byte)'t';
        /// <summary>SMFIR_REPLYCODE.</summary>
        public const byte ReplyCode = (byte)'y';
    }

    /// <summary>Macro stages in an option-negotiation macro request (<c>SMFIM_*</c>).</summary>
    public enum MacroStage : uint
    {
        /// <summary>SMFIM_CONNECT.</summary>
        Connect = 0,
        /// <summary>SMFIM_HELO.</summary>
        Helo = 1,
        /// <summary>SMFIM_ENVFROM.</summary>
        Mail = 2,
        /// <summary>SMFIM_ENVRCPT.</summary>
        Recipient = 3,
        /// <summary>SMFIM_DATA.</summary>
        Data = 4,
        /// <summary>SMFIM_EOM.</summary>
        EndOfMessage = 5,
        /// <summary>SMFIM_EOH.</summary>
        EndOfHeaders = 6,
    }
}

/// <summary>Modification actions a filter may ask for (<c>SMFIF_*</c>); the MTA offers some, the filter takes a subset.</summary>
[Flags]
public enum MilterActions : uint
{
    /// <summary>No modification.</summary>
    None = 0,
    /// <summary>SMFIF_ADDHDRS: add and insert headers.</summary>
    AddHeaders = 0x001,
    /// <summary>SMFIF_CHGBODY: replace the body.</summary>
    ChangeBody = 0x002,
    /// <summary>SMFIF_ADDRCPT.</summary>
    AddRecipient = 0x004,
    /// <summary>SMFIF_DELRCPT.</summary>
    DeleteRecipient = 0x008,
    /// <summary>SMFIF_CHGHDRS: change and delete headers.</summary>
    ChangeHeaders = 0x010,
    /// <summary>SMFIF_QUARANTINE: put the message in the MTA's hold queue.</summary>
    Quarantine = 0x020,
    /// <summary>SMFIF_CHGFROM.</summary>
    ChangeFrom = 0x040,
    /// <summary>SMFIF_ADDRCPT_PAR.</summary>
    AddRecipientWithArgs = 0x080,
    /// <summary>SMFIF_SETSYMLIST: macro lists in the negotiation reply.</summary>
    SetMacroList = 0x100,
}

/// <summary>Protocol steps to skip, steps not to reply to, and features (<c>SMFIP_*</c>).</summary>
[Flags]
public enum MilterSteps : uint
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>SMFIP_NOCONNECT.</summary>
    NoConnect = 0x1,
    /// <summary>SMFIP_NOHELO.</summary>
    NoHelo = 0x2,
    /// <summary>SMFIP_NOMAIL.</summary>
    NoMail = 0x4,
    /// <summary>SMFIP_NORCPT.</summary>
    NoRecipient = 0x8,
    /// <summary>SMFIP_NOBODY.</summary>
    NoBody = 0x10,
    /// <summary>SMFIP_NOHDRS.</summary>
    NoHeaders = 0x20,
    /// <summary>SMFIP_NOEOH.</summary>
    NoEndOfHeaders = 0x40,
    /// <summary>SMFIP_NR_HDR.</summary>
    NoReplyHeader = 0x80,
    /// <summary>SMFIP_NOUNKNOWN.</summary>
    NoUnknown = 0x100,
    /// <summary>SMFIP_NODATA.</summary>
    NoData = 0x200,
    /// <summary>SMFIP_SKIP.</summary>
    Skip = 0x400,
    /// <summary>SMFIP_RCPT_REJ.</summary>
    RejectedRecipients = 0x800,
    /// <summary>SMFIP_NR_CONN.</summary>
    NoReplyConnect = 0x1000,
    /// <summary>SMFIP_NR_HELO.</summary>
    NoReplyHelo = 0x2000,
    /// <summary>SMFIP_NR_MAIL.</summary>
    NoReplyMail = 0x4000,
    /// <summary>SMFIP_NR_RCPT.</summary>
    NoReplyRecipient = 0x8000,
    /// <summary>SMFIP_NR_DATA.</summary>
    NoReplyData = 0x10000,
    /// <summary>SMFIP_NR_UNKN.</summary>
    NoReplyUnknown = 0x20000,
    /// <summary>SMFIP_NR_EOH.</summary>
    NoReplyEndOfHeaders = 0x40000,
    /// <summary>SMFIP_NR_BODY.</summary>
    NoReplyBody = 0x80000,
    /// <summary>SMFIP_HDR_LEADSPC: header values keep their leading space, both ways.</summary>
    HeaderLeadingSpace = 0x100000,
    /// <summary>SMFIP_MDS_256K.</summary>
    MaxData256K = 0x10000000,
    /// <summary>SMFIP_MDS_1M.</summary>
    MaxData1M = 0x20000000,
}
