using System.Globalization;
using System.Text;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// The 512-byte header of a <c>.cvd</c>, <c>.cld</c> or <c>.cud</c>:
/// <c>ClamAV-VDB:build time:version:signatures:functionality level:MD5:digital signature:builder:stime</c>,
/// padded with spaces.
/// </summary>
internal sealed record ContainerHeader(string BuildTime, int Version, int Signatures, int FunctionalityLevel, string Md5, string Builder)
{
    public const int Length = 512;

    private const string Magic = "ClamAV-VDB:";

    public static ContainerHeader Parse(ReadOnlySpan<byte> header, string path)
    {
        var text = Encoding.ASCII.GetString(header).TrimEnd(' ', '\0', '\n', '\r');
        var fields = text.Split(':');
        if (!text.StartsWith(Magic, StringComparison.Ordinal) || fields.Length < 8
            || !TryNumber(fields[2], out var version) || !TryNumber(fields[3], out var signatures)
            || !TryNumber(fields[4], out var level))
        {
            throw new SignatureDatabaseException($"{path}: not a ClamAV database container (bad header)");
        }

        return new ContainerHeader(fields[1], version, signatures, level, fields[5], fields[7]);
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
