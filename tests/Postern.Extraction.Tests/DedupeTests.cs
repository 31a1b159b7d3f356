namespace Postern.Extraction.Tests;

/// <summary>The raw input is recorded without a digest; it must still count as seen when a decoded item repeats it.</summary>
public sealed class DedupeTests
{
    [Fact]
    public void MarkFirstSeen_ItemEqualToRawInput_IsDuplicate()
    {
        var context = new ExtractionContext(new ScanLimits(), CancellationToken.None);
        var raw = "the same bytes twice"u8.ToArray();
        context.MarkRaw(raw);

        Assert.False(context.MarkFirstSeen(raw.ToArray()));
        Assert.Equal(1, context.DuplicateCount);
    }

    [Fact]
    public void MarkFirstSeen_OtherBytesOfRawLength_AreNew()
    {
        var context = new ExtractionContext(new ScanLimits(), CancellationToken.None);
        context.MarkRaw("aaaaaaaa"u8.ToArray());

        Assert.True(context.MarkFirstSeen("bbbbbbbb"u8));
        Assert.False(context.MarkFirstSeen("aaaaaaaa"u8));
        Assert.True(context.MarkFirstSeen("aaaa"u8));
    }

    [Fact]
    public async Task ContentKey_SameBytes_SameKey_OnAnyThread()
    {
        var content = new byte[100_000];
        new Random(7).NextBytes(content);
        var here = ContentKey.Of(content);

        var there = await Task.Run(() => ContentKey.Of(content.ToArray()), TestContext.Current.CancellationToken);

        Assert.Equal(here, there);
    }

    [Fact]
    public void ContentKey_AnyChangeOrLength_ChangesTheKey()
    {
        var content = new byte[4096];
        new Random(11).NextBytes(content);
        var keys = new HashSet<UInt128> { ContentKey.Of(content), ContentKey.Of(content.AsSpan(0, 4095)), ContentKey.Of([]) };
        for (var i = 0; i < content.Length; i += 97)
        {
            var flipped = content.ToArray();
            flipped[i] ^= 1;
            Assert.True(keys.Add(ContentKey.Of(flipped)), $"flipping byte {i} gave a key already seen");
        }

        // Zero-padding is a different content too (GHASH counts the length).
        Assert.NotEqual(ContentKey.Of(new byte[16]), ContentKey.Of(new byte[32]));
        Assert.Equal(3 + ((content.Length + 96) / 97), keys.Count);
    }
}
