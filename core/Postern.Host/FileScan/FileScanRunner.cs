using System.Threading.Channels;
using Postern.Sdk.Messages;

namespace Postern.Host.FileScan;

/// <summary>
/// <c>postern scan</c>: scans files on <c>--jobs</c> workers, prints one clamscan-style line per file in
/// command-line order, then the summary. Exit code as clamscan: 1 when something was found, else 2 when something
/// could not be scanned, else 0.
/// </summary>
internal sealed class FileScanRunner(IMessageScanner scanner, FileScanOptions options, TextWriter output, Stream stdin, ProgressDisplay? progress)
{
    private readonly ScanTotals totals = new();

    public ScanTotals Totals => totals;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var jobs = Math.Max(1, options.Jobs);
        var work = Channel.CreateBounded<(string Path, string? Error, TaskCompletionSource<FileResult> Done)>(jobs * 4);
        var order = Channel.CreateBounded<Task<FileResult>>(jobs * 8);
        var producer = Task.Run(() => ProduceAsync(work.Writer, order.Writer, cancellationToken), cancellationToken);
        var workers = Enumerable.Range(0, jobs).Select(_ => Task.Run(() => WorkAsync(work.Reader, cancellationToken), cancellationToken)).ToArray();
        await foreach (var pending in order.Reader.ReadAllAsync(cancellationToken))
        {
            Report(await pending);
        }

        await producer;
        await Task.WhenAll(workers);
        progress?.Clear();
        return totals.Infected > 0 ? 1 : totals.Errors > 0 ? 2 : 0;
    }

    private async Task ProduceAsync(
        ChannelWriter<(string, string?, TaskCompletionSource<FileResult>)> work, ChannelWriter<Task<FileResult>> order, CancellationToken ct)
    {
        try
        {
            foreach (var (path, error) in FileEnumerator.Expand(options.Paths, options.Recursive, totals.AddDirectory))
            {
                var done = new TaskCompletionSource<FileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                await order.WriteAsync(done.Task, ct);
                await work.WriteAsync((path, error, done), ct);
            }
        }
        finally
        {
            work.TryComplete();
            order.TryComplete();
        }
    }

    private async Task WorkAsync(ChannelReader<(string Path, string? Error, TaskCompletionSource<FileResult> Done)> work, CancellationToken ct)
    {
        await foreach (var (path, error, done) in work.ReadAllAsync(ct))
        {
            try
            {
                done.SetResult(error is null ? await ScanOneAsync(path, ct) : new FileResult(path, null, error, 0));
            }
            catch (OperationCanceledException)
            {
                done.SetCanceled(ct);
            }
            catch (Exception e)
            {
                // Boundary: one unreadable or broken file must not end the run.
                done.SetResult(new FileResult(path, null, $"internal error: {e.GetType().Name}: {e.Message}", 0));
            }
        }
    }

    private async Task<FileResult> ScanOneAsync(string path, CancellationToken ct)
    {
        var name = path == "-" ? "stdin" : path;
        (byte[] Buffer, bool TooLarge, long Length) read;
        try
        {
            read = await FileReader.ReadAsync(path, stdin, options.MaxFileSize, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileResult(name, null, "Can't read file", 0);
        }

        if (read.TooLarge)
        {
            return new FileResult(name, null, $"Not scanned (file larger than {options.MaxFileSize} bytes)", read.Length);
        }

        try
        {
            if (read.Length == 0)
            {
                return new FileResult(name, null, null, 0);
            }

            var report = await scanner.ScanAsync(new ScanRequest(read.Buffer.AsMemory(0, (int)read.Length), name), ct);
            progress?.Advance(read.Length);
            return new FileResult(name, report, null, read.Length);
        }
        finally
        {
            FileReader.Release(read.Buffer);
        }
    }

    private void Report(FileResult result)
    {
        totals.Add(result);
        if (!options.InfectedOnly || result.IsInfected || result.IsError)
        {
            progress?.Clear();
            output.WriteLine(result.Line());
        }
    }
}
