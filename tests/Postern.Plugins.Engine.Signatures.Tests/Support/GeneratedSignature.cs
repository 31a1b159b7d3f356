using System.Text;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>
/// A random body signature built from every hex token we support, able to write itself as an <c>.ndb</c>
/// line and to produce bytes that match it or nearly match it.
/// </summary>
internal sealed class GeneratedSignature(string name, string offset, IReadOnlyList<Token> tokens)
{
    public string Name { get; } = name;

    public string Offset { get; } = offset;

    public string Hex => string.Concat(tokens.Select(t => t.Hex));

    public string NdbLine => $"{Name}:0:{Offset}:{Hex}";

    /// <summary>The signature as a logical subsignature: <c>[Offset:]Hex</c>.</summary>
    public string Subsignature => Offset == "*" ? Hex : $"{Offset}:{Hex}";

    /// <summary>Bytes that match; with <paramref name="breakOne"/>, one token is violated on purpose.</summary>
    public byte[] Instance(Random random, bool breakOne)
    {
        var broken = breakOne ? random.Next(tokens.Count) : -1;
        var bytes = new List<byte>();
        for (var i = 0; i < tokens.Count; i++)
        {
            bytes.AddRange(tokens[i].Instance(random, i == broken));
        }

        return [.. bytes];
    }

    public override string ToString() => NdbLine;
}

/// <summary>One token of a generated signature: its hex text and how to make bytes for it.</summary>
internal sealed record Token(string Hex, Func<Random, bool, byte[]> Instance)
{
    public static Token Bytes(byte[] value) => new(Convert.ToHexStringLower(value), (r, broken) =>
    {
        var copy = (byte[])value.Clone();
        if (broken)
        {
            copy[r.Next(copy.Length)] ^= (byte)(1 << r.Next(8));
        }

        return copy;
    });

    public static Token AnyByte() => new("??", (r, _) => [(byte)r.Next(256)]);

    public static Token HighNibble(int nibble) => new($"{nibble:x}?", (r, broken) =>
        [(byte)((broken ? (nibble ^ 0x8) : nibble) << 4 | r.Next(16))]);

    public static Token LowNibble(int nibble) => new($"?{nibble:x}", (r, broken) =>
        [(byte)(r.Next(16) << 4 | (broken ? (nibble ^ 0x4) : nibble))]);

    public static Token Gap(int min, int? max, string hex) => new(hex, (r, broken) =>
    {
        var length = broken && max is { } m ? m + 1 + r.Next(3) : min + r.Next((max ?? min + 40) - min + 1);
        if (broken && max is null && min > 0)
        {
            length = min - 1;
        }

        var filler = new byte[length];
        r.NextBytes(filler);
        return filler;
    });

    public static Token Alternatives(byte[][] options, bool negated)
    {
        var hex = new StringBuilder(negated ? "!(" : "(")
            .AppendJoin('|', options.Select(Convert.ToHexStringLower)).Append(')').ToString();
        return new Token(hex, (r, broken) =>
        {
            if (negated != broken)
            {
                var other = new byte[options[0].Length];
                do
                {
                    r.NextBytes(other);
                }
                while (options.Any(o => o.AsSpan().SequenceEqual(other)));
                return other;
            }

            return (byte[])options[r.Next(options.Length)].Clone();
        });
    }
}
