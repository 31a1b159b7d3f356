namespace Postern.Extraction.Mime;

/// <summary>
/// Base64 as lenient clients decode it: characters outside the alphabet are skipped. Clients differ on '=' in the
/// middle of the data: some stop there, others end the quantum and go on, so both readings are offered.
/// </summary>
internal static class LenientBase64
{
    private static readonly sbyte[] Values = BuildValues();

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/> (at least 3/4 of the input long).</summary>
    /// <returns>The bytes written.</returns>
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output, bool stopAtPadding)
    {
        int written = 0, quad = 0, count = 0;
        foreach (var c in input)
        {
            if (c == '=')
            {
                written = Flush(output, written, quad, count);
                if (stopAtPadding && count > 0)
                {
                    return written;
                }

                quad = count = 0;
                continue;
            }

            var value = Values[c];
            if (value < 0)
            {
                continue;
            }

            quad = (quad << 6) | (byte)value;
            if (++count == 4)
            {
                output[written++] = (byte)(quad >> 16);
                output[written++] = (byte)(quad >> 8);
                output[written++] = (byte)quad;
                quad = count = 0;
            }
        }

        return Flush(output, written, quad, count);
    }

    /// <summary>True when junk or a '=' before the last line would make a strict decoder and a lenient one disagree.</summary>
    public static bool HasDataAfterPadding(ReadOnlySpan<byte> input)
    {
        var pad = input.IndexOf((byte)'=');
        return pad >= 0 && input[pad..].IndexOfAnyExcept("= \t\r\n"u8) >= 0;
    }

    /// <summary>Writes the bytes of a partial quantum: 2 characters give 1 byte, 3 give 2.</summary>
    private static int Flush(Span<byte> output, int written, int quad, int count)
    {
        if (count == 2)
        {
            output[written++] = (byte)(quad >> 4);
        }
        else if (count == 3)
        {
            output[written++] = (byte)(quad >> 10);
            output[written++] = (byte)(quad >> 2);
        }

        return written;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[256];
        Array.Fill(values, (sbyte)-1);
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8;
        for (var i = 0; i < alphabet.Length; i++)
        {
            values[alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
