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
}
