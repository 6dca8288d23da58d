using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Audit;

public sealed record AuditVerification(
    bool Ok,
    long EventsChecked,
    long? FirstBrokenSequence,
    string? Reason,
    TimeSpan Duration)
{
    public double EventsPerSecond => Duration.TotalSeconds > 0 ? EventsChecked / Duration.TotalSeconds : EventsChecked;
}

public sealed record AuditPurgeResult(AuditCategory Category, int RetentionDays, DateTimeOffset Cutoff, long Purged);

/// <summary>
/// Owns the hash chain: seals outbox rows into events, purges expired events behind an anchor, and verifies.
/// Each category is its own chain (hash = HMAC(key, previous hash in the category + canonical event)), so a
/// per-category retention purge removes a prefix of one chain; the anchor event it appends carries the hash of
/// the last purged event, which is what the first remaining event links to.
/// </summary>
public sealed partial class AuditChain(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AuditKey key,
    IOptions<AuditOptions> options,
    AuditLog audit,
    TimeProvider time,
    ILogger<AuditChain> logger) : IDisposable
{
    public const string PurgeAction = "audit.retention-purge";
    public static readonly string Genesis = new('0', 64);

    // One sealer or purger at a time in this process; SQLite's write lock (BEGIN IMMEDIATE) covers other processes.
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>Moves every committed outbox row into the chain; returns how many events were sealed.</summary>
    public async Task<int> SealPendingAsync(CancellationToken ct = default)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var total = 0;
            int sealedNow;
            do
            {
                sealedNow = await SealBatchAsync(ct);
                total += sealedNow;
            }
            while (sealedNow == options.Value.SealBatchSize);

            return total;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<int> SealBatchAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var transaction = tx.GetDbTransaction();

        var pending = new List<(long OutboxId, AuditEvent Event)>();
        long lastOutboxId = 0;
        await using (var read = Command(connection, transaction,
            "SELECT Id, Timestamp, ActorType, Actor, Category, Action, AgentKey, RunId, Summary, Payload FROM AuditOutbox ORDER BY Id LIMIT $n",
            new SqlParam("$n", options.Value.SealBatchSize)))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                lastOutboxId = reader.GetInt64(0);
                pending.Add((lastOutboxId, new AuditEvent
                {
                    Timestamp = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                    ActorType = Enum.Parse<AuditActorType>(reader.GetString(2)),
                    Actor = reader.GetString(3),
                    Category = Enum.Parse<AuditCategory>(reader.GetString(4)),
                    Action = reader.GetString(5),
                    AgentKey = reader.IsDBNull(6) ? null : reader.GetString(6),
                    RunId = reader.IsDBNull(7) ? null : reader.GetString(7),
                    Summary = reader.GetString(8),
                    Payload = reader.GetString(9),
                }));
            }
        }

        if (pending.Count == 0)
        {
            return 0;
        }

        var heads = await ReadHeadsAsync(connection, transaction, ct);
        var sequence = await ScalarLongAsync(connection, transaction, "SELECT COALESCE(MAX(Sequence), 0) FROM AuditEvents", ct);
        using var hasher = new ChainHasher(key.Bytes);
        var links = new ArrayBufferWriter<byte>(pending.Count * 192);
        using (var json = new Utf8JsonWriter(links))
        {
            json.WriteStartArray();
            foreach (var (outboxId, e) in pending)
            {
                var previous = heads.GetValueOrDefault(e.Category, Genesis);
                var hash = hasher.Compute(e, ++sequence, previous);
                heads[e.Category] = hash;
                json.WriteStartArray();
                json.WriteNumberValue(outboxId);
                json.WriteNumberValue(sequence);
                json.WriteNumberValue(e.Timestamp.UtcTicks);
                json.WriteStringValue(e.ActorType.ToString());
                json.WriteStringValue(e.Category.ToString());
                json.WriteStringValue(previous);
                json.WriteStringValue(hash);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        // One INSERT ... SELECT for the whole batch, not one INSERT per event: inside a transaction every statement
        // that fires the FTS5 trigger opens a savepoint, and FTS5 flushes its pending terms into a new index segment
        // at each savepoint, so per-event statements built (and then merged) a one-document segment per event.
        // The computed columns (sequence, links, hash and the values hashed in their parsed form) come in as JSON of
        // numbers, enum names and hex; the free text is copied from the outbox rows that were just read and hashed,
        // in this same transaction.
        await using (var insert = Command(connection, transaction,
            "INSERT INTO AuditEvents (Sequence, Timestamp, ActorType, Actor, Category, Action, AgentKey, RunId, Summary, Payload, PreviousHash, Hash) " +
            "SELECT l.value ->> 1, l.value ->> 2, l.value ->> 3, o.Actor, l.value ->> 4, o.Action, o.AgentKey, o.RunId, o.Summary, o.Payload, l.value ->> 5, l.value ->> 6 " +
            "FROM json_each($links) l CROSS JOIN AuditOutbox o ON o.Id = l.value ->> 0",
            new SqlParam("$links", Encoding.UTF8.GetString(links.WrittenSpan))))
        {
            var inserted = await insert.ExecuteNonQueryAsync(ct);
            if (inserted != pending.Count)
            {
                throw new InvalidOperationException($"Sealing inserted {inserted} events for {pending.Count} outbox rows.");
            }
        }

        await using (var delete = Command(connection, transaction, "DELETE FROM AuditOutbox WHERE Id <= $id", new SqlParam("$id", lastOutboxId)))
        {
            await delete.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return pending.Count;
    }

    /// <summary>Deletes events older than each category's retention, in batches, each batch behind an anchor event.</summary>
    public async Task<IReadOnlyList<AuditPurgeResult>> PurgeExpiredAsync(CancellationToken ct = default)
    {
        await SealPendingAsync(ct);
        var results = new List<AuditPurgeResult>();
        var now = time.GetUtcNow();
        foreach (var category in Enum.GetValues<AuditCategory>())
        {
            var days = options.Value.RetentionFor(category);
            var cutoff = now.AddDays(-days);
            long purged = 0;
            long batch;
            do
            {
                batch = await PurgeBatchAsync(category, days, cutoff, ct);
                purged += batch;
            }
            while (batch == options.Value.PurgeBatchSize);

            if (purged > 0)
            {
                LogPurged(logger, purged, category, days);
            }

            results.Add(new AuditPurgeResult(category, days, cutoff, purged));
        }

        return results;
    }

    private async Task<long> PurgeBatchAsync(AuditCategory category, int days, DateTimeOffset cutoff, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var transaction = tx.GetDbTransaction();
            var name = category.ToString();

            // Only a prefix of the category's chain may go: everything before its first unexpired event.
            var firstKept = await ScalarLongAsync(connection, transaction,
                "SELECT COALESCE(MIN(Sequence), 9223372036854775807) FROM AuditEvents WHERE Category = $c AND Timestamp >= $cutoff", ct,
                new SqlParam("$c", name), new SqlParam("$cutoff", cutoff.UtcTicks));
            long count = 0;
            long lastSequence = 0;
            var lastHash = "";
            await using (var select = Command(connection, transaction,
                "SELECT Sequence, Hash FROM AuditEvents WHERE Category = $c AND Sequence < $keep ORDER BY Sequence LIMIT $n",
                new SqlParam("$c", name), new SqlParam("$keep", firstKept), new SqlParam("$n", options.Value.PurgeBatchSize)))
            await using (var reader = await select.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    count++;
                    lastSequence = reader.GetInt64(0);
                    lastHash = reader.GetString(1);
                }
            }

            if (count == 0)
            {
                return 0;
            }

            await using (var delete = Command(connection, transaction,
                "DELETE FROM AuditEvents WHERE Category = $c AND Sequence <= $last", new SqlParam("$c", name), new SqlParam("$last", lastSequence)))
            {
                await delete.ExecuteNonQueryAsync(ct);
            }

            var head = await ScalarStringAsync(connection, transaction,
                "SELECT Hash FROM AuditEvents WHERE Category = $c ORDER BY Sequence DESC LIMIT 1", ct, new SqlParam("$c", name)) ?? lastHash;
            var sequence = await ScalarLongAsync(connection, transaction, "SELECT COALESCE(MAX(Sequence), 0) FROM AuditEvents", ct);
            var anchor = new AuditEvent
            {
                Timestamp = time.GetUtcNow(),
                ActorType = AuditActorType.System,
                Actor = "system",
                Category = category,
                Action = PurgeAction,
                Summary = $"Retention purge: {count} {category} event(s) older than {days} days removed, through #{lastSequence}",
                Payload = JsonSerializer.Serialize(new AnchorPayload(lastSequence, lastHash, count, cutoff, days), AuditLog.PayloadJson),
            };
            using var hasher = new ChainHasher(key.Bytes);
            await using var insert = InsertCommand(connection, transaction);
            await InsertAsync(insert, Seal(hasher, anchor, sequence + 1, head), ct);
            await tx.CommitAsync(ct);
            return count;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Verifies on someone's request and records that it happened and what it found.</summary>
    public async Task<AuditVerification> VerifyAsync(AuditActor requestedBy, CancellationToken ct = default)
    {
        var result = await VerifyAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditCategory.Security, "audit.verified", requestedBy,
            result.Ok
                ? $"Audit chain verified: {result.EventsChecked} events OK"
                : $"Audit chain verification FAILED at #{result.FirstBrokenSequence}: {result.Reason}",
            new { result.Ok, result.EventsChecked, result.FirstBrokenSequence, result.Reason }), ct);
        return result;
    }

    /// <summary>Walks every event in sequence order and reports the first one whose link or content does not check out.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await SealPendingAsync(ct);
        var watch = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();

        var anchors = await ReadAnchorsAsync(connection, ct);
        var heads = new Dictionary<AuditCategory, string>();
        using var hasher = new ChainHasher(key.Bytes);
        long checkedCount = 0;
        await using var select = Command(connection, null,
            "SELECT Sequence, Timestamp, ActorType, Actor, Category, Action, AgentKey, RunId, Summary, Payload, PreviousHash, Hash FROM AuditEvents ORDER BY Sequence");
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var sequence = reader.GetInt64(0);
            if (!Enum.TryParse<AuditCategory>(reader.GetString(4), out var category)
                || !Enum.TryParse<AuditActorType>(reader.GetString(2), out var actorType))
            {
                return Broken(sequence, "its category or actor type was altered to an unknown value");
            }

            var e = new AuditEvent
            {
                Sequence = sequence,
                Timestamp = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                ActorType = actorType,
                Actor = reader.GetString(3),
                Category = category,
                Action = reader.GetString(5),
                AgentKey = reader.IsDBNull(6) ? null : reader.GetString(6),
                RunId = reader.IsDBNull(7) ? null : reader.GetString(7),
                Summary = reader.GetString(8),
                Payload = reader.GetString(9),
                PreviousHash = reader.GetString(10),
                Hash = reader.GetString(11),
            };

            var expectedPrevious = heads.TryGetValue(category, out var head) ? head : FirstLink(anchors, category, sequence);
            if (!string.Equals(e.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                return Broken(sequence, heads.ContainsKey(category)
                    ? $"it does not link to the previous {category} event: an event before it was deleted, inserted or reordered"
                    : $"it is the oldest {category} event but links to a hash no genesis or retention anchor accounts for: older events were deleted outside retention");
            }

            if (!string.Equals(hasher.Compute(e, e.Sequence, e.PreviousHash), e.Hash, StringComparison.Ordinal))
            {
                return Broken(sequence, "its content does not match its hash: the event was modified");
            }

            heads[category] = e.Hash;
            checkedCount++;
        }

        return new AuditVerification(true, checkedCount, null, null, watch.Elapsed);

        AuditVerification Broken(long sequence, string reason)
        {
            LogBroken(logger, sequence, reason);
            return new AuditVerification(false, checkedCount, sequence, reason, watch.Elapsed);
        }
    }

    private static string FirstLink(Dictionary<AuditCategory, List<AnchorPayload>> anchors, AuditCategory category, long sequence)
    {
        if (!anchors.TryGetValue(category, out var list))
        {
            return Genesis;
        }

        var anchor = list.Where(a => a.PurgedThroughSequence < sequence).MaxBy(a => a.PurgedThroughSequence);
        return anchor?.LastPurgedHash ?? Genesis;
    }

    private static async Task<Dictionary<AuditCategory, List<AnchorPayload>>> ReadAnchorsAsync(DbConnection connection, CancellationToken ct)
    {
        var anchors = new Dictionary<AuditCategory, List<AnchorPayload>>();
        await using var select = Command(connection, null, "SELECT Category, Payload FROM AuditEvents WHERE Action = $a", new SqlParam("$a", PurgeAction));
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!Enum.TryParse<AuditCategory>(reader.GetString(0), out var category))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<AnchorPayload>(reader.GetString(1), AuditLog.PayloadJson) is { } anchor)
                {
                    (anchors.TryGetValue(category, out var list) ? list : anchors[category] = []).Add(anchor);
                }
            }
            catch (JsonException)
            {
                // A mangled anchor is caught by its own hash check during the walk.
            }
        }

        return anchors;
    }

    /// <summary>The newest hash of each category: one index seek on (Category, Sequence) per category.</summary>
    private static async Task<Dictionary<AuditCategory, string>> ReadHeadsAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        // Not MAX(Sequence) ... GROUP BY Category: that reads the whole index, so every seal got slower as the log grew.
        var heads = new Dictionary<AuditCategory, string>();
        await using var select = Command(connection, transaction,
            "SELECT Hash FROM AuditEvents WHERE Category = $c ORDER BY Sequence DESC LIMIT 1", new SqlParam("$c", ""));
        foreach (var category in Enum.GetValues<AuditCategory>())
        {
            select.Parameters[0].Value = category.ToString();
            if (await select.ExecuteScalarAsync(ct) is string hash)
            {
                heads[category] = hash;
            }
        }

        return heads;
    }

    private static AuditEvent Seal(ChainHasher hasher, AuditEvent e, long sequence, string previousHash) => new()
    {
        Sequence = sequence,
        Timestamp = e.Timestamp,
        ActorType = e.ActorType,
        Actor = e.Actor,
        Category = e.Category,
        Action = e.Action,
        AgentKey = e.AgentKey,
        RunId = e.RunId,
        Summary = e.Summary,
        Payload = e.Payload,
        PreviousHash = previousHash,
        Hash = hasher.Compute(e, sequence, previousHash),
    };

    private static DbCommand InsertCommand(DbConnection connection, DbTransaction transaction)
    {
        var insert = Command(connection, transaction,
            "INSERT INTO AuditEvents (Sequence, Timestamp, ActorType, Actor, Category, Action, AgentKey, RunId, Summary, Payload, PreviousHash, Hash) " +
            "VALUES ($seq, $ts, $at, $actor, $cat, $action, $agent, $run, $summary, $payload, $prev, $hash)");
        foreach (var name in (string[])["$seq", "$ts", "$at", "$actor", "$cat", "$action", "$agent", "$run", "$summary", "$payload", "$prev", "$hash"])
        {
            var p = insert.CreateParameter();
            p.ParameterName = name;
            insert.Parameters.Add(p);
        }

        return insert;
    }

    private static Task<int> InsertAsync(DbCommand insert, AuditEvent e, CancellationToken ct)
    {
        var p = insert.Parameters;
        p[0].Value = e.Sequence;
        p[1].Value = e.Timestamp.UtcTicks;
        p[2].Value = e.ActorType.ToString();
        p[3].Value = e.Actor;
        p[4].Value = e.Category.ToString();
        p[5].Value = e.Action;
        p[6].Value = (object?)e.AgentKey ?? DBNull.Value;
        p[7].Value = (object?)e.RunId ?? DBNull.Value;
        p[8].Value = e.Summary;
        p[9].Value = e.Payload;
        p[10].Value = e.PreviousHash;
        p[11].Value = e.Hash;
        return insert.ExecuteNonQueryAsync(ct);
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params SqlParam[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        return command;
    }

    private static async Task<long> ScalarLongAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct, params SqlParam[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string?> ScalarStringAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct, params SqlParam[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public void Dispose() => _writer.Dispose();

    internal readonly record struct SqlParam(string Name, object Value);

    internal sealed record AnchorPayload(long PurgedThroughSequence, string LastPurgedHash, long PurgedCount, DateTimeOffset Cutoff, int RetentionDays);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention purged {Count} {Category} events older than {Days} days")]
    private static partial void LogPurged(ILogger logger, long count, AuditCategory category, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit chain verification failed at event #{Sequence}: {Reason}")]
    private static partial void LogBroken(ILogger logger, long sequence, string reason);
}
