using Postern.Core.Scanning;
using Postern.Extraction.Buffers;

namespace Postern.Core.Tests.Scanning;

public sealed class ScanOptionsReaderTests
{
    [Fact]
    public void BufferCache_Unset_IsThePoolsDefault() =>
        Assert.Equal(ScanBufferPool.DefaultIdleBudget, ScanOptionsReader.BufferCache(new Dictionary<string, string>()));

    [Theory]
    [InlineData("32M", 32L << 20)]
    [InlineData("512K", 512L << 10)]
    [InlineData("0", 0L)]
    public void BufferCache_Set_IsTakenAsGiven(string value, long expected) =>
        Assert.Equal(expected, ScanOptionsReader.BufferCache(new Dictionary<string, string> { ["scan_buffer_cache"] = value }));
}
