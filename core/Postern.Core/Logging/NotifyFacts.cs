namespace Postern.Core.Logging;

/// <summary>The facts handed to <c>av_notify_command</c>.</summary>
public sealed record NotifyFacts(string QueueId, string Sender, IReadOnlyList<string> Recipients, IReadOnlyList<string> Viruses,
    string Status, string Action, string Agent, string QuarantineId)
{
    /// <summary>The environment variables the command gets.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["POSTERN_QUEUE_ID"] = QueueId,
        ["POSTERN_SENDER"] = Sender,
        ["POSTERN_RECIPIENTS"] = string.Join(',', Recipients),
        ["POSTERN_VIRUS"] = string.Join(',', Viruses),
        ["POSTERN_STATUS"] = Status,
        ["POSTERN_ACTION"] = Action,
        ["POSTERN_AGENT"] = Agent,
        ["POSTERN_QUARANTINE_ID"] = QuarantineId,
    };

    /// <summary>Replaces <c>%queue_id%</c>, <c>%sender%</c>, <c>%recipients%</c>, <c>%virus%</c>, <c>%status%</c>,
    /// <c>%action%</c>, <c>%agent%</c>, <c>%quarantine_id%</c> inside one argument; the result stays one argument.</summary>
    public string Expand(string argument)
    {
        foreach (var (name, value) in Environment)
        {
            argument = argument.Replace("%" + name["POSTERN_".Length..].ToLowerInvariant() + "%", value, StringComparison.Ordinal);
        }

        return argument;
    }
}
