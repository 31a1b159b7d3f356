namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>A random logical signature: its subsignatures, its expression, and how to plant its parts in a file.</summary>
internal sealed class GeneratedLogical(string name, string targetDescription, string expression, IReadOnlyList<GeneratedSignature> subsignatures)
{
    public string Name { get; } = name;

    public string Expression { get; } = expression;

    public IReadOnlyList<GeneratedSignature> Subsignatures { get; } = subsignatures;

    public string LdbLine => $"{Name};{targetDescription};{Expression};{string.Join(';', Subsignatures.Select(s => s.Subsignature))}";

    /// <summary>Instances of a random selection of subsignatures, each zero to three times, some broken on purpose.</summary>
    public IEnumerable<(GeneratedSignature Subsignature, byte[] Bytes)> Plants(Random random)
    {
        foreach (var subsignature in Subsignatures)
        {
            for (var copies = random.Next(4); copies > 0; copies--)
            {
                yield return (subsignature, subsignature.Instance(random, breakOne: random.Next(10) == 0));
            }
        }
    }

    public override string ToString() => LdbLine;
}
