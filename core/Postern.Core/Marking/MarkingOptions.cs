using Postern.Core.Policy;

namespace Postern.Core.Marking;

/// <summary>What to mark on a message passed on, read from the message-wide policy settings.</summary>
public sealed record MarkingOptions(bool Headers, bool Subject, bool Body, string SubjectTemplate, string BodyTemplate)
{
    public static MarkingOptions From(EffectiveSettings s, VerdictStatus status) => new(
        s.Flag(PolicySettings.MarkHeaders),
        s.Flag(PolicySettings.MarkSubject),
        s.Flag(PolicySettings.MarkBody),
        s.Text(status switch
        {
            VerdictStatus.Clean => PolicySettings.SubjectClean,
            VerdictStatus.Infected => PolicySettings.SubjectInfected,
            VerdictStatus.Deleted => PolicySettings.SubjectCleaned,
            _ => PolicySettings.SubjectNotScanned,
        }),
        s.Text(PolicySettings.BodyTemplate));
}
