using System.Collections.Immutable;
using Microsoft.Data.Sqlite;

namespace Postern.Core.Quarantine;

/// <summary>The SQLite index of the quarantine (<c>index.db</c>, WAL mode): one row per item file, for listing and
/// filtering without reading the files. Rows are written after their file is durable, so a row always has a file
/// unless the file was removed behind the store's back; <see cref="FileQuarantineStore"/> reconciles both ways.</summary>
internal sealed class QuarantineIndex : IDisposable
{
    private const string Columns = "id, received, sender, recipients, queue_id, agent, status, detections, reason, size, sha256, released";
    private readonly SqliteConnection connection;
    private readonly Lock gate = new();

    public QuarantineIndex(string path)
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
        Execute($"""
            CREATE TABLE IF NOT EXISTS items (
              id TEXT PRIMARY KEY, received INTEGER NOT NULL, sender TEXT NOT NULL, recipients TEXT NOT NULL,
              queue_id TEXT, agent TEXT NOT NULL, status TEXT NOT NULL, detections TEXT NOT NULL, reason TEXT NOT NULL,
              size INTEGER NOT NULL, sha256 TEXT NOT NULL, released INTEGER);
            CREATE INDEX IF NOT EXISTS items_received ON items(received);
            """);
    }

    public void Insert(QuarantineItem i)
    {
        using var c = Command($"INSERT OR REPLACE INTO items ({Columns}) VALUES ($id, $received, $sender, $recipients, $queue, $agent, $status, $detections, $reason, $size, $sha, $released)");
        c.Parameters.AddWithValue("$id", i.Id);
        c.Parameters.AddWithValue("$received", i.Received.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$sender", i.Sender);
        c.Parameters.AddWithValue("$recipients", string.Join('\n', i.Recipients));
        c.Parameters.AddWithValue("$queue", (object?)i.QueueId ?? DBNull.Value);
        c.Parameters.AddWithValue("$agent", i.Agent);
        c.Parameters.AddWithValue("$status", i.Status);
        c.Parameters.AddWithValue("$detections", string.Join('\n', i.Detections));
        c.Parameters.AddWithValue("$reason", i.Reason);
        c.Parameters.AddWithValue("$size", i.Size);
        c.Parameters.AddWithValue("$sha", i.Sha256);
        c.Parameters.AddWithValue("$released", (object?)i.Released?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        Run(c);
    }

    public IReadOnlyList<QuarantineItem> Query(QuarantineFilter f, string? id = null)
    {
        using var c = Command($"""
            SELECT {Columns} FROM items WHERE
              ($id IS NULL OR id = $id)
              AND ($since IS NULL OR received >= $since) AND ($until IS NULL OR received < $until)
              AND ($from IS NULL OR lower(sender) = $from OR (substr($from, 1, 1) = '@' AND substr(lower(sender), -length($from)) = $from))
              AND ($to IS NULL OR instr(char(10) || lower(recipients) || char(10), char(10) || $to || char(10)) > 0
                   OR (substr($to, 1, 1) = '@' AND instr(lower(recipients) || char(10), $to || char(10)) > 0))
              AND ($det IS NULL OR instr(lower(detections), $det) > 0)
            ORDER BY received, id
            """);
        c.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        c.Parameters.AddWithValue("$since", (object?)f.Since?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        c.Parameters.AddWithValue("$until", (object?)f.Until?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        c.Parameters.AddWithValue("$from", (object?)f.From?.ToLowerInvariant() ?? DBNull.Value);
        c.Parameters.AddWithValue("$to", (object?)f.To?.ToLowerInvariant() ?? DBNull.Value);
        c.Parameters.AddWithValue("$det", (object?)f.Detection?.ToLowerInvariant() ?? DBNull.Value);
        lock (gate)
        {
            using var r = c.ExecuteReader();
            var items = new List<QuarantineItem>();
            while (r.Read())
            {
                items.Add(new QuarantineItem
                {
                    Id = r.GetString(0),
                    Received = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                    Sender = r.GetString(2),
                    Recipients = Split(r.GetString(3)),
                    QueueId = r.IsDBNull(4) ? null : r.GetString(4),
                    Agent = r.GetString(5),
                    Status = r.GetString(6),
                    Detections = Split(r.GetString(7)),
                    Reason = r.GetString(8),
                    Size = r.GetInt64(9),
                    Sha256 = r.GetString(10),
                    Released = r.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
                });
            }

            return items;
        }
    }

    public IReadOnlyList<string> Ids()
    {
        using var c = Command("SELECT id FROM items");
        lock (gate)
        {
            using var r = c.ExecuteReader();
            var ids = new List<string>();
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }

            return ids;
        }
    }

    public bool SetReleased(string id, DateTimeOffset when)
    {
        using var c = Command("UPDATE items SET released = $when WHERE id = $id");
        c.Parameters.AddWithValue("$when", when.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$id", id);
        return Run(c) > 0;
    }

    public bool Delete(string id)
    {
        using var c = Command("DELETE FROM items WHERE id = $id");
        c.Parameters.AddWithValue("$id", id);
        return Run(c) > 0;
    }

    public void Dispose() => connection.Dispose();

    private static ImmutableArray<string> Split(string s) => s.Length == 0 ? [] : [.. s.Split('\n')];

    private SqliteCommand Command(string sql)
    {
        var c = connection.CreateCommand();
        c.CommandText = sql;
        return c;
    }

    private int Run(SqliteCommand c)
    {
        lock (gate)
        {
            return c.ExecuteNonQuery();
        }
    }

    private void Execute(string sql)
    {
        using var c = Command(sql);
        Run(c);
    }
}
