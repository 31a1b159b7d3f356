using Postern.Plugins.Engine.Signatures.Matching;
using Postern.Plugins.Engine.Signatures.Tests.Support;
using Postern.Sdk.Scanning;
using static Postern.Plugins.Engine.Signatures.Tests.Support.TestDatabase;

namespace Postern.Plugins.Engine.Signatures.Tests;

public sealed class SignatureEngineTests
{
    private static readonly byte[] Eicar = Ascii(BuiltInSignatures.EicarText);

    [Fact]
    public async Task Initialize_WithoutSettings_LoadsTheBundledDatabase()
    {
        var engine = EngineFactory.Create();
        Assert.Equal(EngineState.Starting, engine.Status.State);

        await engine.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal("signatures", engine.Name);
        Assert.Equal(EngineState.Ready, engine.Status.State);
        Assert.Equal(5, engine.Status.SignatureCount);
        Assert.StartsWith("2 files, 5 signatures (4 body, 1 hash, 0 logical), 0 lines unsupported", engine.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["Postern.Test.Body"], Names(await engine.Scan(Ascii("xx POSTERN-TEST-BODY-SIGNATURE xx"))));
        Assert.Equal(["Postern.Test.Wildcard"], Names(await engine.Scan(Ascii("POSTERN-TEST-Q1234-WILDCARD"))));
        Assert.Equal(["Postern.Test.AtStart"], Names(await engine.Scan(Ascii("POSTERN-TEST-AT-START!"))));
        Assert.Empty(Names(await engine.Scan(Ascii(" POSTERN-TEST-AT-START"))));
        Assert.Equal(["Postern.Test.Hash"], Names(await engine.Scan(Ascii("POSTERN-TEST-HASH-SIGNATURE\n"))));
    }

    [Fact]
    public async Task Initialize_GlobalDatabaseDir_IsUsedWhenThePluginSettingIsAbsent()
    {
        using var dir = new TempDirectory();
        dir.Write("a.ndb", "Global.One:0:*:474c4f42414c\n");
        var engine = EngineFactory.Create(globalSettings: new Dictionary<string, string> { ["database_dir"] = dir.Path });

        await engine.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["Global.One"], Names(await engine.Scan(Ascii("GLOBAL"))));
    }

    [Fact]
    public async Task Initialize_CommaSeparatedFilesAndDirectories_LoadsAll()
    {
        using var one = new TempDirectory();
        using var two = new TempDirectory();
        var file = one.Write("x.ndb", "One:0:*:4f4e45\n");
        two.Write("y.ndb", "Two:0:*:54574f\n");

        var engine = await EngineFactory.Loaded($"{file} , {two.Path}");

        Assert.Equal(["One", "Two"], Names(await engine.Scan(Ascii("ONE TWO"))));
        Assert.Equal(2, engine.Status.SignatureCount);
    }

    [Fact]
    public async Task Eicar_IsAlwaysDetected_EvenWithACustomDatabase()
    {
        using var dir = new TempDirectory();
        dir.Write("a.ndb", "Other:0:*:4f54484552\n");
        var engine = await EngineFactory.Loaded(dir.Path);

        var result = await engine.Scan(Eicar, "part1/eicar.com");

        Assert.Equal([new Finding("Eicar-Test-Signature", "signatures", "part1/eicar.com")], result.Findings);
    }

    [Fact]
    public async Task Eicar_DatabaseSignatureComesBeforeTheBuiltIn()
    {
        using var dir = new TempDirectory();
        dir.Write("bench.ndb", $"Bench.Eicar:0:*:{Convert.ToHexStringLower(Eicar)}\n");
        var engine = await EngineFactory.Loaded(dir.Path);

        Assert.Equal(["Bench.Eicar", "Eicar-Test-Signature"], Names(await engine.Scan([.. Ascii("zz"), .. Eicar])));
    }

    [Fact]
    public async Task Scan_EmptyItem_IsClean()
    {
        var engine = await EngineFactory.Loaded(Path.Combine(AppContext.BaseDirectory, "db"));

        Assert.Same(EngineResult.Clean, await engine.Scan([]));
    }

    [Fact]
    public async Task Initialize_MissingPath_ThrowsWithThePathAndLeavesStatusFailed()
    {
        var missing = Path.Combine(Path.GetTempPath(), "postern-no-such-db", "x.ndb");
        var engine = EngineFactory.Create(new Dictionary<string, string> { ["database"] = missing });

        var error = await Assert.ThrowsAsync<SignatureDatabaseException>(
            () => engine.InitializeAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal($"{missing}: no such file or directory", error.Message);
        Assert.Equal(EngineState.Failed, engine.Status.State);
        Assert.Equal(error.Message, engine.Status.Detail);
    }

    [Fact]
    public async Task Initialize_UnreadableFile_ThrowsWithTheFile()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("broken.ndb", "X:0:*:414243\n");
        // .NET honours FileShare.None between its own handles on every platform, so the loader's open fails.
        using var exclusive = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var engine = EngineFactory.Create(new Dictionary<string, string> { ["database"] = file });

        var error = await Assert.ThrowsAsync<SignatureDatabaseException>(
            () => engine.InitializeAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.StartsWith($"{file}: cannot read:", error.Message, StringComparison.Ordinal);
        Assert.Equal(EngineState.Failed, engine.Status.State);
    }

    [Fact]
    public async Task Scan_ConcurrentScans_AgreeWithSequentialOnes()
    {
        var engine = EngineFactory.Create();
        await engine.InitializeAsync(TestContext.Current.CancellationToken);
        var items = Enumerable.Range(0, 64)
            .Select(i => i % 2 == 0 ? Ascii($"{i} POSTERN-TEST-BODY-SIGNATURE {i}") : Ascii($"{i} clean {i}"))
            .ToArray();

        var results = await Task.WhenAll(items.Select(i => Task.Run(async () => await engine.Scan(i))));

        for (var i = 0; i < items.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? 1 : 0, results[i].Findings.Length);
        }
    }

    private static string[] Names(EngineResult result) => [.. result.Findings.Select(f => f.Name)];
}
