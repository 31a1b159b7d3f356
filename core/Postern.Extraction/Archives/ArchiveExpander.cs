using Postern.Extraction.Buffers;
using Postern.Sdk.Scanning;
using SharpCompress.Archives;
using SharpCompress.Archives.Rar;
using SharpCompress.Archives.SevenZip;
using SharpCompress.Archives.Tar;
using SharpCompress.Archives.Zip;
using SharpCompress.Common;
using SharpCompress.Readers;

namespace Postern.Extraction.Archives;

/// <summary>
/// Archive members (zip, 7z, rar, tar) as <see cref="ScanItemKind.ArchiveMember"/> children. Every member is read under
/// the item, scan and per-archive ratio limits; encrypted members and broken archives become reasons. A zip whose
/// central directory cannot be read is read again from its local headers, as lenient unzip tools do.
/// </summary>
internal sealed class ArchiveExpander(WalkSession session)
{
    public IEnumerable<ScanItem> Expand(ScanItem item, ContainerFormat format, int start)
    {
        var data = item.Content[start..];
        var directory = format == ContainerFormat.Zip ? ZipDirectory.Read(data.Span) : null;
        if (directory is not null && ZipOverlap.HasOverlap(directory))
        {
            session.Context.AddReason(item.Path, "overlapping zip entries (zip bomb)");
            yield break;
        }

        var guard = new RatioGuard(data.Length, session.Limits);
        using var stream = MemoryStreams.Open(data);
        var run = new ArchiveRun();
        foreach (var child in Members(item, Open(stream, format, run, directory is null ? null : new ZipData(data, directory)), guard, run))
        {
            yield return child;
        }

        if (run.Failure is not null && run.Members == 0 && format == ContainerFormat.Zip)
        {
            session.Context.AddReason(item.Path, run.Failure + " (reading local headers instead)");
            stream.Position = 0;
            run = new ArchiveRun();
            foreach (var child in Members(item, OpenReader(stream, run), guard, run))
            {
                yield return child;
            }
        }

        if (run.Failure is not null)
        {
            session.Context.AddReason(item.Path, run.Failure);
        }
    }

    private IEnumerable<ScanItem> Members(ScanItem item, EntrySource? source, RatioGuard guard, ArchiveRun run)
    {
        if (source is null)
        {
            yield break;
        }

        using (source)
        {
            for (var index = 1; ; index++)
            {
                var (entry, reason) = source.Next();
                run.Failure ??= reason;
                if (entry is null)
                {
                    yield break;
                }

                run.Members++;
                var spent = Spent(guard);
                if (spent is not null)
                {
                    // A limit passed on an earlier member: say so for the first member left unread, read no more.
                    session.Context.AddReason(MemberPath(item, entry, index), spent);
                    yield break;
                }

                foreach (var child in Member(item, source, entry, index, guard))
                {
                    yield return child;
                }
            }
        }
    }

    private string? Spent(RatioGuard guard)
    {
        if (session.Context.IsFileBudgetSpent)
        {
            return "file count limit (this and later members)";
        }

        if (session.Context.RemainingBytes == 0)
        {
            return "total size limit (this and later members)";
        }

        return guard.Allowance == 0 ? "expansion ratio limit (this and later members)" : null;
    }

    private static string MemberPath(ScanItem item, IEntry entry, int index) =>
        ItemPath.Child(item.Path, string.IsNullOrEmpty(entry.Key) ? $"#{index}" : ItemPath.Clean(entry.Key));

    private IEnumerable<ScanItem> Member(ScanItem item, EntrySource source, IEntry entry, int index, RatioGuard guard)
    {
        if (entry.IsDirectory)
        {
            yield break;
        }

        var name = string.IsNullOrEmpty(entry.Key) ? null : entry.Key;
        var path = MemberPath(item, entry, index);
        if (entry.IsEncrypted)
        {
            session.Context.AddReason(path, "encrypted");
            yield break;
        }

        var read = source.Read(entry, session.Context, session.Limits, guard);
        using var buffer = read.Buffer;
        if (read.Reason is not null)
        {
            session.Context.AddReason(path, read.Reason);
        }

        var child = new ScanItem(path, buffer.Memory, ScanItemKind.ArchiveMember, item.Depth + 1, name);
        foreach (var descendant in session.Emit(child, ContentHint.Unknown))
        {
            yield return descendant;
        }
    }

    private EntrySource? Open(Stream stream, ContainerFormat format, ArchiveRun run, ZipData? zip)
    {
        try
        {
            var options = new ReaderOptions { LeaveStreamOpen = true };
            IArchive archive = format switch
            {
                ContainerFormat.Zip => ZipArchive.OpenArchive(stream, options),
                ContainerFormat.SevenZip => SevenZipArchive.OpenArchive(stream, options),
                ContainerFormat.Rar => RarArchive.OpenArchive(stream, options),
                _ => TarArchive.OpenArchive(stream, options),
            };
            return EntrySource.ForArchive(archive, zip, session.Context.CancellationToken);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, session.Context.CancellationToken))
        {
            // Decoder boundary: SharpCompress reads and validates headers while opening.
            run.Failure = DecoderFailure.Describe(ex);
            return null;
        }
    }

    private EntrySource? OpenReader(Stream stream, ArchiveRun run)
    {
        try
        {
            var reader = ReaderFactory.OpenReader(stream, new ReaderOptions { LeaveStreamOpen = true });
            return EntrySource.ForReader(reader, session.Context.CancellationToken);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, session.Context.CancellationToken))
        {
            // Decoder boundary: the streaming reader gives up as well.
            run.Failure = DecoderFailure.Describe(ex);
            return null;
        }
    }

    /// <summary>What one pass over an archive met: how many members, and the first failure.</summary>
    private sealed class ArchiveRun
    {
        public int Members { get; set; }

        public string? Failure { get; set; }
    }
}
