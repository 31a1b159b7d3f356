using Postern.Plugins.Engine.Signatures.Loading;

namespace Postern.Plugins.Engine.Signatures.Tests;

/// <summary><see cref="NameBlob.Keeping"/>: what the signature stores keep when an ignore list names signatures.</summary>
public sealed class NameBlobTests
{
    private static NameBlob Blob(params string[] names)
    {
        var blob = new NameBlob();
        foreach (var name in names)
        {
            blob.Add(name.AsSpan());
        }

        return blob;
    }

    [Fact]
    public void Keeping_NothingDropped_IsNull() =>
        Assert.Null(Blob("A", "B", "C").Keeping(_ => false));

    [Theory]
    [InlineData("A", new[] { 1, 2, 3 })]
    [InlineData("C", new[] { 0, 1, 3 })]
    [InlineData("D", new[] { 0, 1, 2 })]
    public void Keeping_ListsTheOthersInOrder(string dropped, int[] expected) =>
        Assert.Equal(expected, Blob("A", "B", "C", "D").Keeping(n => n == dropped));

    [Fact]
    public void Keeping_AsksAboutEachNameOnce()
    {
        var asked = new List<string>();
        var kept = Blob("A", "Ünï", "C").Keeping(n =>
        {
            asked.Add(n);
            return n != "C";
        });

        Assert.Equal(["A", "Ünï", "C"], asked);
        Assert.Equal([2], kept);
    }

    [Fact]
    public void Keeping_EverythingDropped_IsEmpty() =>
        Assert.Empty(Blob("A", "B").Keeping(_ => true)!);
}
