using MimeKit;

namespace Postern.Core.Tests.Marking;

internal static class Mime
{
    public static MimeMessage Parse(byte[] bytes) =>
        MimeMessage.Load(new MemoryStream(bytes), TestContext.Current.CancellationToken);

    public static List<MimeEntity> Parts(MimeMessage m) => [.. Assert.IsType<Multipart>(m.Body)];
}
