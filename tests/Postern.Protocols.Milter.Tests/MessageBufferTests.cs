using System.Runtime.InteropServices;

namespace Postern.Protocols.Milter.Tests;

public sealed class MessageBufferTests
{
    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_body_in_chunks_of_any_size_joins_its_head_without_moving()
    {
        var body = Bytes(300_000, 1);
        var head = "Subject: x\r\n\r\n"u8.ToArray();
        var buffer = new MessageBuffer(1 << 20);
        buffer.ReserveHead(64);
        for (int at = 0, step = 1; at < body.Length; at += step, step = step * 3 % 70_000 + 1)
        {
            Assert.True(buffer.TryAppend(body.AsSpan(at, Math.Min(step, body.Length - at))));
        }

        Assert.True(MemoryMarshal.TryGetArray(buffer.Memory, out var before));
        var joined = buffer.Join(head, out var bodyOffset);

        Assert.Equal(head.Length, bodyOffset);
        Assert.Equal([.. head, .. body], joined.ToArray());
        Assert.True(MemoryMarshal.TryGetArray(joined, out var after));
        Assert.Same(before.Array, after.Array);
        Assert.Equal(before.Offset - head.Length, after.Offset);
        buffer.Reset();
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void A_head_larger_than_the_room_kept_is_joined_by_a_copy()
    {
        var body = Bytes(10_000, 2);
        var head = Bytes(500, 3);
        var buffer = new MessageBuffer(1 << 20);
        buffer.ReserveHead(100);
        Assert.True(buffer.TryAppend(body));

        var joined = buffer.Join(head, out var bodyOffset);

        Assert.Equal(500, bodyOffset);
        Assert.Equal([.. head, .. body], joined.ToArray());
    }

    [Fact]
    public void Past_the_limit_nothing_more_is_kept_and_the_size_hint_is_only_a_hint()
    {
        var buffer = new MessageBuffer(100_000) { ExpectedSize = 10 };
        Assert.True(buffer.TryAppend(Bytes(60_000, 4)));
        Assert.True(buffer.TryAppend(Bytes(40_000, 5)));
        Assert.False(buffer.TryAppend([1]));
        Assert.Equal(100_000, buffer.Length);

        var empty = new MessageBuffer(100);
        Assert.Equal("\r\n"u8.ToArray(), empty.Join("\r\n"u8, out var offset).ToArray());
        Assert.Equal(2, offset);
    }

    [Fact]
    public void An_abandoned_array_is_not_handed_out_again()
    {
        var buffer = new MessageBuffer(1 << 20);
        Assert.True(buffer.TryAppend(Bytes(1000, 6)));
        Assert.True(MemoryMarshal.TryGetArray(buffer.Memory, out var kept));
        buffer.Abandon();

        // What the pool hands out next for that size is never the abandoned array (it was not returned).
        for (var i = 0; i < 20; i++)
        {
            var next = new MessageBuffer(1 << 20);
            Assert.True(next.TryAppend(Bytes(1000, 7)));
            Assert.True(MemoryMarshal.TryGetArray(next.Memory, out var other));
            Assert.NotSame(kept.Array, other.Array);
        }
    }
}
