using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Protocols.Clamd.Tests.Support;

/// <summary>Raw clamd conversations: send bytes, read until the server closes or goes quiet.</summary>
internal static class Wire
{
    public static readonly byte[] Eicar = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    public static byte[] Stream(byte[] data, string command = "zINSTREAM\0")
    {
        var b = new List<byte>(Encoding.ASCII.GetBytes(command));
        var len = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(len, (uint)data.Length);
        b.AddRange(len);
        b.AddRange(data);
        b.AddRange(new byte[4]);
        return [.. b];
    }

    public static Socket Connect(EndPoint endPoint)
    {
        var s = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(endPoint);
        return s;
    }

    /// <summary>Sends <paramref name="request"/> and returns every byte until the server closes the connection or is
    /// silent for <paramref name="quietMs"/>; "&lt;open&gt;" is appended when it did not close.</summary>
    public static async Task<string> ExchangeAsync(EndPoint endPoint, byte[] request, int quietMs = 1500)
    {
        using var s = Connect(endPoint);
        try
        {
            await s.SendAsync(request, SocketFlags.None);
        }
        catch (SocketException)
        {
            // The server may close before taking everything (size limit); its reply is still there to read.
        }

        return await ReadAllAsync(s, quietMs);
    }

    public static async Task<string> ReadAllAsync(Socket s, int quietMs)
    {
        var output = new List<byte>();
        var buffer = new byte[65536];
        while (true)
        {
            using var cts = new CancellationTokenSource(quietMs);
            int n;
            try
            {
                n = await s.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return Encoding.Latin1.GetString([.. output]) + "<open>";
            }
            catch (SocketException)
            {
                return Encoding.Latin1.GetString([.. output]) + "<reset>";
            }

            if (n == 0)
            {
                return Encoding.Latin1.GetString([.. output]);
            }

            output.AddRange(buffer.AsSpan(0, n));
        }
    }
}
