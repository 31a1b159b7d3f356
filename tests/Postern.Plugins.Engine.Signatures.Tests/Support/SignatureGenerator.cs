namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>
/// Random body signatures that ClamAV 1.4 accepts: every part starts with 3 to 6 plain bytes and every token
/// inside a part is followed by at least 2 more, so each part has the static run ClamAV insists on. With
/// <c>firstRun</c> the first part starts with that many to three more, for the prefilter's strided layout.
/// </summary>
internal static class SignatureGenerator
{
    public static GeneratedSignature Create(Random random, int index, string prefix = "Diff.Body-", int maxParts = 3, int firstRun = 3)
    {
        var tokens = new List<Token>();
        var parts = 1 + random.Next(maxParts);
        for (var p = 0; p < parts; p++)
        {
            if (p > 0)
            {
                tokens.Add(Separator(random));
            }

            tokens.Add(Token.Bytes(Plain(random, (p == 0 ? firstRun : 3) + random.Next(4))));
            for (var t = random.Next(3); t > 0; t--)
            {
                tokens.Add(Inner(random));
                tokens.Add(Token.Bytes(Plain(random, 2 + random.Next(3))));
            }
        }

        return new GeneratedSignature($"{prefix}{index}", Offset(random), tokens);
    }

    private static Token Inner(Random random)
    {
        switch (random.Next(8))
        {
            case 0: return Token.AnyByte();
            case 1: return Token.HighNibble(random.Next(16));
            case 2: return Token.LowNibble(random.Next(16));
            case 3:
                var n = 1 + random.Next(6);
                return Token.Gap(n, n, $"{{{n}}}");
            case 4: return Token.Alternatives(Distinct(random, 2 + random.Next(3), 1), negated: false);
            case 5: return Token.Alternatives(Distinct(random, 2 + random.Next(2), 2), negated: false);
            case 6: return Token.Alternatives(Distinct(random, 2 + random.Next(2), 1), negated: true);
            default: return Token.AnyByte();
        }
    }

    private static Token Separator(Random random)
    {
        var low = random.Next(8);
        var high = low + 1 + random.Next(24);
        return random.Next(5) switch
        {
            0 => Token.Gap(0, null, "*"),
            1 => Token.Gap(low, high, $"{{{low}-{high}}}"),
            2 => Token.Gap(0, high, $"{{-{high}}}"),
            3 => Token.Gap(low + 1, null, $"{{{low + 1}-}}"),
            _ => Token.Gap(70 + low, 70 + low, $"{{{70 + low}}}"),
        };
    }

    private static string Offset(Random random) => random.Next(20) switch
    {
        < 13 => "*",
        13 or 14 => $"{random.Next(200)}",
        15 => $"{random.Next(200)},{random.Next(40)}",
        16 or 17 => $"EOF-{20 + random.Next(200)}",
        _ => $"EOF-{20 + random.Next(200)},{random.Next(40)}",
    };

    /// <summary>Plain bytes without runs, like the anchors of real signatures.</summary>
    public static byte[] Plain(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[][] Distinct(Random random, int count, int width)
    {
        var options = new List<byte[]>();
        while (options.Count < count)
        {
            var option = Plain(random, width);
            if (!options.Any(o => o.AsSpan().SequenceEqual(option)))
            {
                options.Add(option);
            }
        }

        return [.. options];
    }
}
