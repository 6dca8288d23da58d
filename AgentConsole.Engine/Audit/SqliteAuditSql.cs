using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// SQLite: one writer at a time is SQLite's own rule (the transaction starts with BEGIN IMMEDIATE), batches travel as
/// JSON read with json_each, and text search is the FTS5 table AuditSearch kept in step by triggers.
/// </summary>
internal sealed class SqliteAuditSql : AuditSql
{
    public static readonly SqliteAuditSql Instance = new();

    public override bool IsPostgres => false;

    public override Task LockChainAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;

    public override string ReadOutboxSql { get; } = $"SELECT {OutboxColumns} FROM \"AuditOutbox\" ORDER BY \"Id\" LIMIT @n";

    public override DbCommand InsertSealed(DbConnection connection, DbTransaction transaction, IReadOnlyList<SealedLink> links, string keyVersion)
    {
        var json = new ArrayBufferWriter<byte>(Math.Max(1, links.Count) * 192);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartArray();
            foreach (var l in links)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(l.OutboxId);
                writer.WriteNumberValue(l.Sequence);
                writer.WriteNumberValue(l.Ticks);
                writer.WriteStringValue(l.ActorType);
                writer.WriteStringValue(l.Category);
                writer.WriteStringValue(l.PreviousHash);
                writer.WriteStringValue(l.Hash);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        // One INSERT ... SELECT for the whole batch, not one INSERT per event: inside a transaction every statement
        // that fires the FTS5 trigger opens a savepoint, and FTS5 flushes its pending terms into a new index segment
        // at each savepoint, so per-event statements built (and then merged) a one-document segment per event.
        // The computed columns (sequence, links, hash and the values hashed in their parsed form) come in as JSON of
        // numbers, enum names and hex; the free text is copied from the outbox rows that were just read, authenticated
        // and hashed, in this same transaction.
        var command = AuditChain.Command(connection, transaction,
            $"INSERT INTO \"AuditEvents\" ({EventColumns}) " +
            "SELECT l.value ->> 1, l.value ->> 2, l.value ->> 3, o.\"Actor\", l.value ->> 4, o.\"Action\", o.\"AgentKey\", o.\"RunId\", o.\"Summary\", o.\"Payload\", l.value ->> 5, l.value ->> 6, @kv " +
            "FROM json_each(@links) l CROSS JOIN \"AuditOutbox\" o ON o.\"Id\" = l.value ->> 0");
        Add(command, "@links", Encoding.UTF8.GetString(json.WrittenSpan));
        Add(command, "@kv", keyVersion);
        return command;
    }

    public override DbCommand CopyToQuarantine(DbConnection connection, DbTransaction transaction, IReadOnlyList<(long OutboxId, string Reason)> refused, long now)
    {
        var command = AuditChain.Command(connection, transaction,
            $"INSERT INTO \"AuditQuarantine\" ({QuarantineColumns}) " +
            "SELECT o.\"Id\", @now, l.value ->> 1, o.\"Timestamp\", o.\"ActorType\", o.\"Actor\", o.\"Category\", o.\"Action\", o.\"AgentKey\", o.\"RunId\", o.\"Summary\", o.\"Payload\", o.\"KeyVersion\", o.\"Mac\" " +
            "FROM json_each(@refused) l CROSS JOIN \"AuditOutbox\" o ON o.\"Id\" = l.value ->> 0");
        Add(command, "@now", now);
        Add(command, "@refused", JsonSerializer.Serialize(refused.Select(r => new object[] { r.OutboxId, r.Reason })));
        return command;
    }

    public override DbCommand DeleteOutbox(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids)
    {
        var command = AuditChain.Command(connection, transaction, "DELETE FROM \"AuditOutbox\" WHERE \"Id\" IN (SELECT value FROM json_each(@ids))");
        Add(command, "@ids", JsonSerializer.Serialize(ids));
        return command;
    }

    public override (string FromWhere, string Key) TextMatch(DbCommand command, FtsQuery.Result text)
    {
        Add(command, "@q", text.Match!);
        // CROSS JOIN keeps FTS5 as the outer loop, so rowid order comes from the index and LIMIT stops early.
        return (" FROM \"AuditSearch\" s CROSS JOIN \"AuditEvents\" e ON e.\"Sequence\" = s.rowid WHERE \"AuditSearch\" MATCH @q", "s.rowid");
    }

    // A prefix range keeps the (Actor, Sequence) index usable; SQLite compares text byte by byte.
    public override string ActorPrefix => "e.\"Actor\" >= @actor AND e.\"Actor\" < @actorEnd";
}
