using Postern.Core.Configuration;

namespace Postern.Core.Policy;

/// <summary>
/// The policy settings: valid in <c>[global]</c>, overridable in agent sections and in special sections of a
/// <c>user_config</c> file. <see cref="MessageWide"/> ones change the message itself and so cannot differ per
/// recipient; they are resolved without recipient sections.
/// </summary>
public static class PolicySettings
{
    public const string ActionAv = "action_av";
    public const string ActionAvInfected = "action_av_infected";
    public const string ActionAvNotScanned = "action_av_notscanned";
    public const string ActionAvDeleted = "action_av_deleted";
    public const string CleanMode = "av_clean_mode";
    public const string MarkHeaders = "av_mark_headers";
    public const string MarkSubject = "av_mark_subject";
    public const string MarkBody = "av_mark_body";
    public const string SubjectClean = "av_subject_template_clean";
    public const string SubjectInfected = "av_subject_template_infected";
    public const string SubjectNotScanned = "av_subject_template_notscanned";
    public const string SubjectCleaned = "av_subject_template_cleaned";
    public const string BodyTemplate = "av_body_template";
    public const string QuarantineEnabled = "av_quarantine_enabled";
    public const string NotifyCommand = "av_notify_command";
    public const string UserConfig = "user_config";

    private static readonly string[] Actions = ["accept", "defer", "discard", "reject"];

    public static IReadOnlyList<SettingSpec> All { get; } =
    [
        new(ActionAv, SettingKind.Choice, "scan", "Before scanning: scan, or decide without scanning (accept, defer, discard, reject).", ["scan", .. Actions]),
        new(ActionAvInfected, SettingKind.Choice, "reject", "After a scan that found something (and cleaning, if any, failed).", Actions),
        new(ActionAvNotScanned, SettingKind.Choice, "defer", "After a scan that could not cover everything (limit, encrypted archive, engine down).", Actions),
        new(ActionAvDeleted, SettingKind.Choice, "accept", "After the infected parts were removed by av_clean_mode and a rescan found the rest clean.", Actions),
        new(CleanMode, SettingKind.Choice, "none", "none: never change the message; standard: replace infected parts with a notice; strict: also parts that could not be scanned.", ["none", "standard", "strict"]),
        new(MarkHeaders, SettingKind.Bool, "yes", "Add X-Virus-Scanned and X-Virus-Status to messages passed on; incoming X-Virus-* headers are always renamed."),
        new(MarkSubject, SettingKind.Bool, "no", "Rewrite the subject with av_subject_template_<status>."),
        new(MarkBody, SettingKind.Bool, "no", "Append av_body_template as a text part to messages passed on."),
        new(SubjectClean, SettingKind.Text, "%subj%", "Subject of clean messages when av_mark_subject is on; %subj% is the original, %vir% the detections, %status% the status."),
        new(SubjectInfected, SettingKind.Text, "[virus %vir%] %subj%", "Subject of infected messages passed on (action_av_infected = accept)."),
        new(SubjectNotScanned, SettingKind.Text, "[not scanned] %subj%", "Subject of messages passed on that could not be scanned."),
        new(SubjectCleaned, SettingKind.Text, "[cleaned %vir%] %subj%", "Subject of cleaned messages."),
        new(BodyTemplate, SettingKind.Text, "This message was scanned by Postern: %status%.", "Notice appended when av_mark_body is on; same placeholders as the subject templates."),
        new(QuarantineEnabled, SettingKind.Bool, "no", "Keep a copy of every message with a finding (and of not-scanned ones that are rejected or discarded) in the quarantine."),
        new(NotifyCommand, SettingKind.Text, "", "Program run on each detection, with its arguments (split on spaces, quotes group); facts in POSTERN_* variables and %placeholders%; never through a shell."),
        new(UserConfig, SettingKind.Text, "", "A file of special sections ([user@domain], [|sender@domain], [@domain], groups with parent_id) for this agent or, in [global], for every agent."),
    ];

    /// <summary>Settings that change or copy the message, so one value must hold for all its recipients.</summary>
    public static IReadOnlySet<string> MessageWide { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CleanMode, MarkHeaders, MarkSubject, MarkBody, SubjectClean, SubjectInfected, SubjectNotScanned, SubjectCleaned,
        BodyTemplate, QuarantineEnabled, NotifyCommand,
    };

    public static SettingSpec? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
