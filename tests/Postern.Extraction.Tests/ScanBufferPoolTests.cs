using Postern.Extraction.Buffers;

namespace Postern.Extraction.Tests;

public sealed class ScanBufferPoolTests
{
    private const int Step = ScanBufferPool.LargeThreshold;

    [Fact]
    public void Rent_Large_IsRoundedUpToTheStep()
    {
        var pool = new ScanBufferPool(8 * Step);

        Assert.Equal(2 * Step, pool.Rent(Step + 1).Length);
        Assert.Equal(7 * Step, pool.Rent((6 * Step) + 100).Length);
    }

    [Fact]
    public void Rent_Large_TakesTheSmallestIdleArrayThatFits()
    {
        var pool = new ScanBufferPool(32 * Step);
        var four = pool.Rent(4 * Step);
        var two = pool.Rent(2 * Step);
        var eight = pool.Rent(8 * Step);
        pool.Return(four);
        pool.Return(eight);
        pool.Return(two);

        Assert.Same(four, pool.Rent((3 * Step) + 1));
        Assert.Same(two, pool.Rent(Step + 1));
        Assert.Same(eight, pool.Rent(5 * Step));
        Assert.Equal(0, pool.IdleBytes);
    }

    [Fact]
    public void Return_OverTheBudget_DropsTheSmallestIdleArrays()
    {
        var pool = new ScanBufferPool(6 * Step);
        var arrays = new[] { pool.Rent(2 * Step), pool.Rent(3 * Step), pool.Rent(4 * Step) };
        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        // 2 + 3 + 4 steps do not fit in 6: the 2 and then the 3 go, the 4 stays.
        Assert.Equal(4L * Step, pool.IdleBytes);
        Assert.Same(arrays[2], pool.Rent(Step + 1));
        Assert.NotSame(arrays[1], pool.Rent(3 * Step));
    }

    [Fact]
    public void IdleBudget_Lowered_TakesEffectAtTheNextReturn()
    {
        var pool = new ScanBufferPool(16 * Step);
        var arrays = new[] { pool.Rent(4 * Step), pool.Rent(4 * Step), pool.Rent(4 * Step) };
        pool.Return(arrays[0]);
        pool.Return(arrays[1]);
        Assert.Equal(8L * Step, pool.IdleBytes);

        pool.IdleBudget = 4 * Step;
        pool.Return(arrays[2]);

        Assert.Equal(4L * Step, pool.IdleBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.IdleBudget = -1);
    }

    [Fact]
    public void IdleBudget_Raised_KeepsMore()
    {
        var pool = new ScanBufferPool(4 * Step);
        pool.IdleBudget = 12 * Step;
        var arrays = new[] { pool.Rent(4 * Step), pool.Rent(4 * Step), pool.Rent(4 * Step) };
        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        Assert.Equal(12L * Step, pool.IdleBytes);
    }

    [Fact]
    public void Return_AnArrayLargerThanTheBudget_IsNotKept()
    {
        var pool = new ScanBufferPool(4 * Step);
        var big = pool.Rent(5 * Step);

        pool.Return(big);

        Assert.Equal(0, pool.IdleBytes);
        Assert.NotSame(big, pool.Rent(5 * Step));
    }

    [Fact]
    public void Small_ArraysComeFromThePowerOfTwoPool()
    {
        var pool = new ScanBufferPool(0);
        var small = pool.Rent(1000);

        Assert.Equal(1024, small.Length);
        pool.Return(small);
        Assert.Same(small, pool.Rent(1000));
        Assert.Equal(0, pool.IdleBytes);
    }

    [Fact]
    public void RentAndReturn_FromManyThreads_KeepTheBudget()
    {
        var pool = new ScanBufferPool(8 * Step);
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var array = pool.Rent(((i % 7) + 1) * Step);
            array[^1] = (byte)i;
            pool.Return(array);
        });

        Assert.InRange(pool.IdleBytes, Step, 8L * Step);
    }
}
