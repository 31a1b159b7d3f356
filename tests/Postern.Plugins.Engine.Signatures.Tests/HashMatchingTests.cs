using System.Security.Cryptography;
using static Postern.Plugins.Engine.Signatures.Tests.Support.TestDatabase;

namespace Postern.Plugins.Engine.Signatures.Tests;

public sealed class HashMatchingTests
{
    private static readonly byte[] Item = Ascii("a file that a hash signature names");

    [Fact]
    public void Md5Sha1Sha256_MatchTheWholeItem()
    {
        var database = FromHashes(
            $"{Hex(MD5.HashData(Item))}:{Item.Length}:Md5",
            $"{Hex(SHA1.HashData(Item))}:{Item.Length}:Sha1",
            $"{Hex(SHA256.HashData(Item))}:{Item.Length}:Sha256");

        Assert.Equal(["Md5", "Sha1", "Sha256"], database.Scan(Item));
    }

    [Fact]
    public void WrongSize_DoesNotMatch() =>
        Assert.Empty(FromHashes($"{Hex(MD5.HashData(Item))}:{Item.Length + 1}:Md5").Scan(Item));

    [Fact]
    public void AnySize_Matches() =>
        Assert.Equal(["Any"], FromHashes($"{Hex(SHA256.HashData(Item))}:*:Any:73").Scan(Item));

    [Fact]
    public void PartOfTheItem_DoesNotMatch()
    {
        var database = FromHashes($"{Hex(MD5.HashData(Item))}:{Item.Length}:Md5");

        Assert.Empty(database.Scan([.. Item, 0]));
        Assert.Empty(database.Scan(Item[1..]));
    }

    [Fact]
    public void SameDigestTwice_ReportsEachNameOnce()
    {
        var line = $"{Hex(MD5.HashData(Item))}:{Item.Length}:";

        Assert.Equal(["A", "B"], FromHashes(line + "A", line + "B", line + "A").Scan(Item));
    }

    [Fact]
    public void OtherItemsOfTheSameSize_DoNotMatch()
    {
        var other = (byte[])Item.Clone();
        other[^1] ^= 1;

        Assert.Empty(FromHashes($"{Hex(MD5.HashData(Item))}:{Item.Length}:Md5").Scan(other));
    }

    private static string Hex(byte[] digest) => Convert.ToHexStringLower(digest);
}
