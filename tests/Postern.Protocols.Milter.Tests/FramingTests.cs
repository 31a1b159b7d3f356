using System.Buffers.Binary;

namespace Postern.Protocols.Milter.Tests;

public sealed class FramingTests
{
    // Hands out what it holds in reads of the sizes given (cycled), as a socket may.
    private sealed class ChoppyStream(byte[] data, int[] sizes) : Stream
    {
        private int position;
        private int turn;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, sizes[turn++ % sizes.Length]), data.Length - position);
            data.AsSpan(position, n).CopyTo(buffer.AsSpan(offset));
            position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Packet(byte command, byte[] data)
    {
        var packet = new byte[5 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(data.Length + 1));
        packet[4] = command;
        data.CopyTo(packet, 5);
        return packet;
    }

    public static TheoryData<string> ReadSizes => ["1", "3,7", "8192", "65541", "5,100000,2,9000"];

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task Packets_come_out_whole_whatever_the_reads_return(string readSizes)
    {
        var sizes = readSizes.Split(',').Select(int.Parse).ToArray();
        var random = new Random(3);
        var sent = new List<(byte Command, byte[] Data)>();
        for (var i = 0; i < 40; i++)
        {
            var data = new byte[i % 7 == 0 ? MilterProtocol.MaxDataSize : random.Next(0, 300)];
            random.NextBytes(data);
            sent.Add(((byte)('A' + (i % 26)), data));
        }

        var stream = new ChoppyStream([.. sent.SelectMany(p => Packet(p.Command, p.Data))], sizes);
        var framing = new MilterFraming(stream);
        foreach (var (command, data) in sent)
        {
            var packet = await framing.ReadAsync(TestContext.Current.CancellationToken);
            Assert.NotNull(packet);
            Assert.Equal(command, packet.Value.Command);
            Assert.True(data.AsSpan().SequenceEqual(packet.Value.Data.Span));
        }

        Assert.Null(await framing.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_stream_ending_inside_a_packet_is_a_protocol_error()
    {
        var whole = Packet((byte)'B', new byte[10_000]);
        var framing = new MilterFraming(new ChoppyStream(whole[..^1], [4096]));
        await Assert.ThrowsAsync<MilterProtocolException>(async () => await framing.ReadAsync(TestContext.Current.CancellationToken));
    }
}
