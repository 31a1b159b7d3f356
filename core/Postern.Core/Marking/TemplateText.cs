namespace Postern.Core.Marking;

/// <summary>Fills the esets-style placeholders: <c>%subj%</c>, <c>%vir%</c>, <c>%status%</c>. One pass, so a
/// placeholder inside a substituted value (a sender's subject "%vir%") is not expanded again.</summary>
public static class TemplateText
{
    public static string Fill(string template, string subject, string detections, string status)
    {
        var sb = new System.Text.StringBuilder(template.Length + subject.Length + detections.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var rest = template.AsSpan(i);
            if (rest.StartsWith("%subj%", StringComparison.Ordinal))
            {
                sb.Append(subject);
                i += 5;
            }
            else if (rest.StartsWith("%vir%", StringComparison.Ordinal))
            {
                sb.Append(detections);
                i += 4;
            }
            else if (rest.StartsWith("%status%", StringComparison.Ordinal))
            {
                sb.Append(status);
                i += 7;
            }
            else
            {
                sb.Append(template[i]);
            }
        }

        return sb.ToString();
    }
}
