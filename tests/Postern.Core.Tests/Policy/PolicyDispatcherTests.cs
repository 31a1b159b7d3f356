using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Logging;
using Postern.Core.Marking;
using Postern.Core.Policy;
using Postern.Core.Quarantine;
using Postern.Core.Scanning;
using Postern.Core.Tests.Marking;
using Postern.Core.Tests.Quarantine;
using Postern.Sdk.Messages;

namespace Postern.Core.Tests.Policy;

public sealed class PolicyDispatcherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PolicyDispatcher Dispatcher(PolicyConfig policy, IQuarantineStore? store) => new(
        new ScanPipeline([new VirusEngine()], new ScanOptions(), TimeProvider.System, NullLogger<ScanPipeline>.Instance),
        policy, store, new MessageMarker("0.1.0", "mx"), new NotifyCommand(NullLogger<NotifyCommand>.Instance), TimeProvider.System,
        NullLogger<PolicyDispatcher>.Instance);

    [Fact]
    public async Task Submit_InfectedWithCleaning_AcceptsTheMarkedCleanedCopyAndQuarantinesTheOriginal()
    {
        using var files = new PolicyFiles("[global]\nav_clean_mode = standard\nav_quarantine_enabled = yes\n");
        await using var t = new TempStore();
        var original = TestMessages.WithInfectedAttachment();

        var d = await Dispatcher(files.Config, t.Store).SubmitAsync(TempStore.Envelope("a@x.example", "b@example.org", "c@example.org"), original, Ct);

        Assert.All(d.Recipients, r => Assert.Equal((DecisionAction.Accept, "cleaned: Test.Virus"), (r.Action, r.Reason)));
        var text = Encoding.ASCII.GetString(d.Message.Span);
        Assert.StartsWith("X-Virus-Scanned: Postern 0.1.0 (mx)\r\nX-Virus-Status: Cleaned (Test.Virus)\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestMessages.Attachment, text, StringComparison.Ordinal);
        var item = Assert.Single(await t.Store.ListAsync(new QuarantineFilter(), Ct));
        Assert.Equal(original, await t.Store.ReadMessageAsync(item.Id, Ct));
    }

    [Fact]
    public async Task Submit_PerRecipientPolicy_GivesEachRecipientItsOwnActionAndStrictestIsDefer()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n", "[keep@example.org]\naction_av_infected = accept\n[later@example.org]\naction_av_infected = defer\n");

        var d = await Dispatcher(files.Config, null).SubmitAsync(
            TempStore.Envelope("a@x.example", "b@example.org", "keep@example.org", "later@example.org"), TestMessages.SinglePartInfected(), Ct);

        Assert.Equal([DecisionAction.Reject, DecisionAction.Accept, DecisionAction.Defer], d.Recipients.Select(r => r.Action));
        Assert.Equal(DecisionAction.Defer, d.Strictest);
        Assert.Contains("X-Virus-Status: Infected (Test.Virus)", Encoding.ASCII.GetString(d.Message.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_QuarantineUnavailable_DefersInsteadOfRejecting()
    {
        using var files = new PolicyFiles("[global]\nav_quarantine_enabled = yes\n");
        var blocked = Path.Combine(files.Folder, "file-not-dir");
        File.WriteAllText(blocked, "");
        await using var store = new LazyQuarantineStore(Path.Combine(blocked, "q"), TimeProvider.System);

        var d = await Dispatcher(files.Config, store).SubmitAsync(TempStore.Envelope(), TestMessages.SinglePartInfected(), Ct);

        Assert.Equal(DecisionAction.Defer, Assert.Single(d.Recipients).Action);
    }
}
