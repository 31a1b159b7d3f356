using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

using static Postern.Protocols.Milter.Tests.SessionTests;

namespace Postern.Protocols.Milter.Tests;

/// <summary>The listener around the sessions: hostile input, idle and connection limits, unix sockets, endpoint and
/// reply-code parsing.</summary>
public sealed class ListenerTests
{
    [Fact]
    public async Task Garbage_and_random_packets_never_hang_crash_or_stop_the_listener()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler, new MilterOptions { IdleTimeout = TimeSpan.FromSeconds(2) });
        var random = new Random(6);
        const string letters = "ABCDEHKLMNOQRTUZ\0";
        var rounds = Enumerable.Range(0, 300).Select(async i =>
        {
            await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
            byte[] bytes;
            lock (random)
            {
                if (i % 3 == 0)
                {
                    bytes = new byte[random.Next(1, 300)];
                    random.NextBytes(bytes);
                }
                else
                {
                    // Well-framed packets with random letters and contents, after a valid negotiation half the time.
                    var packets = new List<byte>();
                    if (i % 2 == 0)
                    {
                        packets.AddRange([0, 0, 0, 13, (byte)'O', 0, 0, 0, 6, 0, 0, 1, 0xFF, 0, 0x1F, 0xFF, 0xFF]);
                    }

                    for (var k = random.Next(1, 12); k > 0; k--)
                    {
                        var data = new byte[random.Next(0, 40)];
                        random.NextBytes(data);
                        var len = new byte[4];
                        BinaryPrimitives.WriteUInt32BigEndian(len, (uint)data.Length + 1);
                        packets.AddRange(len);
                        packets.Add((byte)letters[random.Next(letters.Length)]);
                        packets.AddRange(data);
                    }

                    bytes = [.. packets];
                }
            }

            try
            {
                await mta.SendRawAsync(bytes);
                while (await mta.ReadAsync(TimeSpan.FromSeconds(15)) is not null)
                {
                }
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
        });
        await Task.WhenAll(rounds).WaitAsync(TimeSpan.FromSeconds(60));

        await using var good = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await good.NegotiateAsync();
        Assert.Equal('a', Assert.Single(await good.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray())).Command);
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_idle_timeout()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler, new MilterOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) });
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        var started = DateTime.UtcNow;
        Assert.Null(await mta.ReadAsync(TimeSpan.FromSeconds(10)));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Connections_past_the_limit_wait_until_a_slot_frees()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler, maxConnections: 1);
        var first = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await first.NegotiateAsync();
        await using var second = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        var waiting = second.NegotiateAsync();
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        await first.SendAsync('Q', []);
        await first.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_unix_socket_listener_serves_with_its_mode_and_replaces_a_stale_socket()
    {
        var dir = Directory.CreateTempSubdirectory("milter-");
        try
        {
            var path = Path.Combine(dir.FullName, "milter.sock");
            File.WriteAllText(path, "stale");
            var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
            await using (var listener = await StartAsync(handler, spec: "unix:" + path))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
                await using var mta = await MtaClient.ConnectAsync(new UnixDomainSocketEndPoint(path));
                await mta.NegotiateAsync();
                Assert.Equal('a', Assert.Single(await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray())).Command);

                // A second listener on a live socket refuses to steal it.
                MilterEndpoint.TryParse("unix:" + path, "/", out var same, out _);
                await using var other = new MilterListener([same], handler, new MilterOptions(), NullLogger.Instance);
                await Assert.ThrowsAsync<IOException>(() => other.StartAsync(CancellationToken.None));
            }

            Assert.False(File.Exists(path));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("inet:127.0.0.1:10030", "127.0.0.1:10030")]
    [InlineData("inet:10030@127.0.0.1", "127.0.0.1:10030")]
    [InlineData("inet:localhost:1", "127.0.0.1:1")]
    [InlineData("inet6:[::1]:25", "[::1]:25")]
    [InlineData("inet6:25@::1", "[::1]:25")]
    public void Endpoints_in_both_MTA_spellings(string spec, string expected)
    {
        Assert.True(MilterEndpoint.TryParse(spec, "/run/postern", out var e, out var error), error);
        Assert.Equal(expected, ((IPEndPoint)e.EndPoint).ToString());
    }

    [Theory]
    [InlineData("unix:milter.sock", "/run/postern/milter.sock")]
    [InlineData("local:/var/run/x.sock", "/var/run/x.sock")]
    public void Unix_endpoints_relative_to_the_run_dir(string spec, string path)
    {
        Assert.True(MilterEndpoint.TryParse(spec, "/run/postern", out var e, out _));
        Assert.Equal(path, e.Path);
    }

    [Theory]
    [InlineData("tcp:127.0.0.1:1")]
    [InlineData("inet:127.0.0.1")]
    [InlineData("inet:host.example:25")]
    [InlineData("inet:127.0.0.1:70000")]
    [InlineData("unix:")]
    public void Bad_endpoints_are_refused(string spec) => Assert.False(MilterEndpoint.TryParse(spec, "/run", out _, out _));

    [Fact]
    public void Reply_codes_are_checked_and_made_safe_for_sendmail()
    {
        Assert.Equal("550 5.7.1 100%% sure: x y?", MilterReply.Code(550, "5.7.1", "100% sure: x\ry\u00e9").Text);
        Assert.Throws<ArgumentException>(() => MilterReply.Code(550, "4.7.1", "x"));
        Assert.Throws<ArgumentException>(() => MilterReply.Code(250, "", "x"));
        Assert.Equal(900, MilterReply.Code(451, "4.7.1", new string('a', 2000)).Text!.Length);
    }
}
