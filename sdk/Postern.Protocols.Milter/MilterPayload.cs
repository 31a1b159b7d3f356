using System.Buffers.Binary;
using System.Text;

namespace Postern.Protocols.Milter;

/// <summary>Decodes the payloads of CONNECT, HELO, MAIL and RCPT; anything malformed is a
/// <see cref="MilterProtocolException"/>, which closes that connection only.</summary>
internal static class MilterPayload
{
    public static MilterConnectInfo Connect(ReadOnlySpan<byte> data)
    {
        var nul = data.IndexOf((byte)0);
        if (nul < 0 || nul + 1 >= data.Length)
        {
            throw new MilterProtocolException("CONNECT without host name or family");
        }

        var host = Encoding.Latin1.GetString(data[..nul]);
        var family = (char)data[nul + 1];
        var rest = data[(nul + 2)..];
        if (family == 'U')
        {
            return new MilterConnectInfo(host, family, 0, "");
        }

        if (family is not ('4' or '6' or 'L') || rest.Length < 3)
        {
            throw new MilterProtocolException($"CONNECT with family '{family}' and {rest.Length} bytes of address");
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(rest);
        return new MilterConnectInfo(host, family, port, FirstString(rest[2..], "CONNECT address"));
    }

    public static string FirstString(ReadOnlySpan<byte> data, string what)
    {
        var nul = data.IndexOf((byte)0);
        if (nul < 0)
        {
            throw new MilterProtocolException($"{what} not NUL-terminated");
        }

        return Encoding.Latin1.GetString(data[..nul]);
    }

    public static List<string> Args(ReadOnlySpan<byte> data, string what)
    {
        if (data.IsEmpty || data[^1] != 0)
        {
            throw new MilterProtocolException($"{what} arguments not NUL-terminated");
        }

        return MilterFraming.SplitStrings(data);
    }
}
