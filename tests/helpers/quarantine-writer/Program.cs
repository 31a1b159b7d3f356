using System.Security.Cryptography;
using System.Text;
using Postern.Core.Quarantine;
using Postern.Sdk.Messages;

// Writes quarantine items in a loop until killed; after each StoreAsync returns it prints "stored ID SHA256", the
// promise the kill test holds the store to. Message sizes vary so kills land in every phase of a write.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: quarantine-writer DIRECTORY");
    return 2;
}

await using var store = FileQuarantineStore.Open(args[0], TimeProvider.System);
var envelope = new Envelope("sender@example.org", ["rcpt@example.net"], QueueId: "Q1", Agent: "test");
for (var n = 0; ; n++)
{
    var body = new byte[RandomNumberGenerator.GetInt32(10, 300_000)];
    RandomNumberGenerator.Fill(body);
    var message = Encoding.ASCII.GetBytes($"Subject: item {n}\r\n\r\n").Concat(body).ToArray();
    var item = await store.StoreAsync(envelope, message, "infected", ["Test.Virus"], "infected: Test.Virus", CancellationToken.None);
    Console.Out.WriteLine($"stored {item.Id} {Convert.ToHexStringLower(SHA256.HashData(message))}");
    Console.Out.Flush();
}
