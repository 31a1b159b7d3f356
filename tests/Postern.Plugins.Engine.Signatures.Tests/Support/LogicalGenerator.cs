using System.Text;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Matching;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>
/// Random logical signatures ClamAV 1.4 accepts: 1 to 5 subsignatures joined by <c>&amp;</c> and <c>|</c> in
/// random groupings, with and without parentheses (ClamAV groups an unparenthesised chain its own way), count
/// conditions on references and blocks, and some FileSize and Engine fields. Counted signatures use single-part
/// subsignatures only, whose match count is the number of start positions in both engines.
/// </summary>
/// <remarks>
/// No expression holds with no match at all (<c>0=0</c>): clamscan evaluates logical signatures again on parts of
/// a file it takes for embedded content, where such an expression holds even though the whole file contradicts it.
/// Splitting items is the host's extraction, not the matcher's, so the comparison leaves those out.
/// </remarks>
internal static class LogicalGenerator
{
    public static GeneratedLogical Create(Random random, int index, int firstRun = 3)
    {
        while (true)
        {
            var candidate = Candidate(random, index, firstRun);
            var expression = LogicalExpressionParser.Parse(candidate.Expression, out _)!;
            if (!LogicalEvaluator.Evaluate(expression, new int[candidate.Subsignatures.Count]))
            {
                return candidate;
            }
        }
    }

    private static GeneratedLogical Candidate(Random random, int index, int firstRun)
    {
        var counted = random.Next(2) == 0;
        var subsignatures = new List<GeneratedSignature>();
        for (var s = 1 + random.Next(5); s > 0; s--)
        {
            subsignatures.Add(SignatureGenerator.Create(random, subsignatures.Count, "Sub-", counted ? 1 : 3, firstRun));
        }

        var indices = Enumerable.Range(0, subsignatures.Count).OrderBy(_ => random.Next()).ToList();
        var expression = Expression(random, indices, counted, topLevel: true);
        return new GeneratedLogical($"Diff.Logical-{index}", TargetDescription(random), expression, subsignatures);
    }

    private static string TargetDescription(Random random) => random.Next(8) switch
    {
        0 => $"Engine:51-255,Target:0,FileSize:{1000 + random.Next(6000)}-{8000 + random.Next(6000)}",
        1 => "Engine:51-255,Target:0",
        2 => "Engine:250-255,Target:0",
        _ => "Target:0",
    };

    private static string Expression(Random random, List<int> indices, bool counted, bool topLevel)
    {
        if (indices.Count == 1)
        {
            return Reference(random, indices[0], counted);
        }

        var chunks = new List<string>();
        var rest = indices;
        while (rest.Count > 0)
        {
            var take = 1 + random.Next(rest.Count);
            if (take == indices.Count && chunks.Count == 0)
            {
                take = 1;
            }

            chunks.Add(Expression(random, rest.Take(take).ToList(), counted, topLevel: false));
            rest = rest.Skip(take).ToList();
        }

        var text = new StringBuilder(chunks[0]);
        foreach (var chunk in chunks.Skip(1))
        {
            text.Append(random.Next(2) == 0 ? '&' : '|').Append(chunk);
        }

        if (topLevel && random.Next(3) > 0)
        {
            return text.ToString();
        }

        text.Insert(0, '(').Append(')');
        if (counted && random.Next(3) == 0)
        {
            text.Append(Condition(random));
            if (random.Next(2) == 0)
            {
                text.Append(',').Append(1 + random.Next(2));
            }
        }

        return text.ToString();
    }

    private static string Reference(Random random, int index, bool counted) =>
        counted && random.Next(2) == 0 ? $"{index}{Condition(random)}" : $"{index}";

    private static string Condition(Random random) => random.Next(3) switch
    {
        0 => $"={random.Next(4)}",
        1 => $">{random.Next(3)}",
        _ => $"<{1 + random.Next(3)}",
    };
}
