using Postern.Plugins.Engine.Signatures.Matching;
using Postern.Plugins.Engine.Signatures.Tests.Support;
using static Postern.Plugins.Engine.Signatures.Tests.Support.TestDatabase;

namespace Postern.Plugins.Engine.Signatures.Tests;

/// <summary>
/// The prefilter with many anchors (shared grams, long probe chains, chance passes) must find exactly what each
/// signature finds alone, where its filter holds a single anchor.
/// </summary>
public sealed class PrefilterEquivalenceTests
{
    [Fact]
    public void Scan_ManySignatures_FindsExactlyWhatEachFindsAlone()
    {
        var random = new Random(7);
        var signatures = Enumerable.Range(0, 900).Select(i => SignatureGenerator.Create(random, i, "Eq-")).ToList();

        // The same patterns under other names: anchors on one gram, chained in one probe sequence.
        var lines = signatures.Select(s => s.NdbLine)
            .Concat(signatures.Take(100).Select((s, i) => $"Twin-{i}:0:{s.Offset}:{s.Hex}"))
            .ToList();
        var database = FromNdb([.. lines]);
        var alone = lines.Select(line => (Name: line[..line.IndexOf(':')], Database: FromNdb(line))).ToList();

        for (var item = 0; item < 30; item++)
        {
            var data = SignatureGenerator.Plain(random, 2048);
            for (var planted = 0; planted < 8; planted++)
            {
                var instance = signatures[random.Next(signatures.Count)].Instance(random, breakOne: random.Next(3) == 0);
                if (instance.Length < data.Length)
                {
                    instance.CopyTo(data, random.Next(data.Length - instance.Length));
                }
            }

            var expected = alone.Where(a => a.Database.Scan(data).Contains(a.Name)).Select(a => a.Name).ToList();
            Assert.Equal(expected, database.Scan(data));
        }
    }

    [Fact]
    public void Scan_ManyHitsInOneItem_FindsExactlyWhatEachFindsAlone()
    {
        // Hundreds of anchor passes in one item, so the queue of passes fills and drains many times, with instances at
        // the very end of the item too.
        var random = new Random(11);
        var signatures = Enumerable.Range(0, 300).Select(i => SignatureGenerator.Create(random, i, "Many-")).ToList();
        var database = FromNdb([.. signatures.Select(s => s.NdbLine)]);
        var alone = signatures.Select(s => (Name: s.NdbLine[..s.NdbLine.IndexOf(':')], Database: FromNdb(s.NdbLine))).ToList();

        for (var item = 0; item < 4; item++)
        {
            var data = SignatureGenerator.Plain(random, 64 * 1024);
            for (var planted = 0; planted < 400; planted++)
            {
                var instance = signatures[random.Next(signatures.Count)].Instance(random, breakOne: random.Next(4) == 0);
                if (instance.Length < data.Length)
                {
                    instance.CopyTo(data, planted == 0 ? data.Length - instance.Length : random.Next(data.Length - instance.Length));
                }
            }

            var expected = alone.Where(a => a.Database.Scan(data).Contains(a.Name)).Select(a => a.Name).ToList();
            Assert.True(expected.Count > 64, $"only {expected.Count} signatures present: the test needs more than the queue holds");
            Assert.Equal(expected, database.Scan(data));
        }
    }

    [Fact]
    public void Scan_VectorAndScalarLayouts_FindEveryInstanceAtEveryAlignment()
    {
        // The vector loop tests eight positions per step and hands the last ones to a scalar loop: an instance at any
        // position modulo eight, and at the very end of items of every short length, must be found, by both layouts.
        var random = new Random(13);
        var signatures = Enumerable.Range(0, 200).Select(i => SignatureGenerator.Create(random, i, "Lay-")).ToList();
        string[] lines = [.. signatures.Select(s => $"{s.Name}:0:*:{s.Hex}")];
        var vector = FromNdb(lines);
        CompiledDatabase scalar;
        var before = GramFilter.UseVector;
        try
        {
            GramFilter.UseVector = false;
            scalar = FromNdb(lines);
        }
        finally
        {
            GramFilter.UseVector = before;
        }

        for (var trial = 0; trial < 120; trial++)
        {
            var signature = signatures[random.Next(signatures.Count)];
            var instance = signature.Instance(random, breakOne: false);
            var data = SignatureGenerator.Plain(random, instance.Length + (trial % 40));
            var at = trial % 2 == 0 ? trial / 2 % 16 : data.Length - instance.Length - trial / 2 % 16;
            instance.CopyTo(data, Math.Clamp(at, 0, data.Length - instance.Length));

            var found = vector.Scan(data);
            Assert.Contains(signature.Name, found);
            Assert.Equal(scalar.Scan(data), found);
        }
    }
}

