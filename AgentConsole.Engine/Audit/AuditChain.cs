using System.Data;
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

    /// <summary>The Security event the sealer writes when it refuses outbox rows.</summary>
    public const string QuarantineAction = "audit.outbox-quarantined";

    // The quarantine event names this many rows; the table holds them all.
    private const int QuarantineListed = 100;
    public static readonly string Genesis = new('0', 64);

    // One sealer or purger at a time in this process, so its own passes never queue on the database lock. Across
    // processes and instances: SQLite's write lock (BEGIN IMMEDIATE), PostgreSQL's advisory lock (AuditSql.LockChainAsync).
    private readonly SemaphoreSlim _writer = new(1, 1);

    // Rows recorded under a previous key version are sealed only by this process's first pass: they were waiting in
    // the outbox when the key rotated. Afterwards every new row carries the current version, so a row MAC'd with a
    // retired key (rotated out, perhaps because it leaked) is a forgery, not a late arrival.
    private bool _outboxDrainedOnce;

    /// <summary>
    /// Moves every committed outbox row into the chain; returns how many events were sealed. Rows without a valid MAC,
    /// or that cannot be read as an event, go to the quarantine instead and never stall the rows behind them.
    /// </summary>
    public async Task<int> SealPendingAsync(CancellationToken ct = default)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var total = 0;
            var previousVersions = !_outboxDrainedOnce;
            (int Read, int Sealed) batch;
            do
            {
                batch = await SealBatchAsync(previousVersions, ct);
                total += batch.Sealed;
            }
            while (batch.Read == options.Value.SealBatchSize);

            _outboxDrainedOnce = true;
            return total;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<(int Read, int Sealed)> SealBatchAsync(bool previousVersions, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        // Every search catches up through here: with nothing committed in the outbox it must not queue for the chain
        // lock behind another instance's seal (or take SQLite's write lock). What the read under the lock finds decides.
        if (await ScalarLongAsync(connection, null, "SELECT COUNT(*) FROM (SELECT 1 FROM \"AuditOutbox\" LIMIT 1) o", ct) == 0)
        {
            return (0, 0);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var transaction = tx.GetDbTransaction();
        var sql = AuditSql.For(db.Database);
        await sql.LockChainAsync(connection, transaction, ct);
        using var hashers = new KeyedHashers(key);

        var pending = new List<(long OutboxId, AuditEvent Event)>();
        var refused = new List<(long OutboxId, string Reason)>();
        var read = new List<long>();
        await using (var select = Command(connection, transaction, sql.ReadOutboxSql, new SqlParam("@n", options.Value.SealBatchSize)))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var outboxId = reader.GetInt64(0);
                read.Add(outboxId);
                var (e, reason) = OutboxRows.Authenticate(reader, hashers, previousVersions);
                if (e is null)
                {
                    refused.Add((outboxId, reason!));
                }
                else
                {
                    pending.Add((outboxId, e));
                }
            }
        }

        if (read.Count == 0)
        {
            return (0, 0);
        }

        var heads = await ReadHeadsAsync(connection, transaction, ct);
        // MAX + 1 is safe because the chain lock (and on SQLite its single writer) makes this the only sealer or purger.
        var sequence = await ScalarLongAsync(connection, transaction, "SELECT COALESCE(MAX(\"Sequence\"), 0) FROM \"AuditEvents\"", ct);
        var hasher = hashers.Current;
        var links = new List<AuditSql.SealedLink>(pending.Count);
        foreach (var (outboxId, e) in pending)
        {
            var previous = heads.GetValueOrDefault(e.Category, Genesis);
            var hash = hasher.Compute(e, ++sequence, previous);
            heads[e.Category] = hash;
            links.Add(new AuditSql.SealedLink(outboxId, sequence, e.Timestamp.UtcTicks, e.ActorType.ToString(), e.Category.ToString(), previous, hash));
        }

        if (links.Count > 0)
        {
            await using var insert = sql.InsertSealed(connection, transaction, links, key.CurrentVersion);
            var inserted = await insert.ExecuteNonQueryAsync(ct);
            if (inserted != links.Count)
            {
                throw new InvalidOperationException($"Sealing inserted {inserted} events for {links.Count} outbox rows.");
            }
        }

        if (refused.Count > 0)
        {
            await QuarantineAsync(connection, transaction, sql, refused, heads, sequence, hasher, ct);
        }

        // Exactly the rows read, never "every id up to the last one": a row with a lower id that was not yet committed
        // when they were read is still in the outbox and is sealed by the next pass.
        await using (var delete = sql.DeleteOutbox(connection, transaction, read))
        {
            var deleted = await delete.ExecuteNonQueryAsync(ct);
            if (deleted != read.Count)
            {
                throw new InvalidOperationException($"Sealing removed {deleted} outbox rows for the {read.Count} it read.");
            }
        }

        await tx.CommitAsync(ct);
        return (read.Count, pending.Count);
    }

    /// <summary>
    /// Copies refused outbox rows, as they are, into the quarantine and seals one Security event that names them:
    /// the table keeps the content for forensics, the event keeps the fact in the chain.
    /// </summary>
    private async Task QuarantineAsync(DbConnection connection, DbTransaction transaction, AuditSql sql, List<(long OutboxId, string Reason)> refused,
        Dictionary<AuditCategory, string> heads, long sequence, ChainHasher hasher, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var copy = sql.CopyToQuarantine(connection, transaction, refused, now.UtcTicks))
        {
            await copy.ExecuteNonQueryAsync(ct);
        }

        LogQuarantined(logger, refused.Count, refused[0].OutboxId, refused[^1].OutboxId);
        var listed = refused.Take(QuarantineListed).Select(r => new QuarantinedRow(r.OutboxId, r.Reason)).ToList();
        var notice = new AuditEvent
        {
            Timestamp = now,
            ActorType = AuditActorType.System,
            Actor = AuditActor.System.Name,
            Category = AuditCategory.Security,
            Action = QuarantineAction,
            Summary = $"Refused {refused.Count} audit outbox row(s) that were not authenticated by the audit key or could not be read " +
                $"(outbox #{refused[0].OutboxId}–#{refused[^1].OutboxId}); kept in AuditQuarantine, not sealed",
            Payload = AuditLog.CapPayload(
                JsonSerializer.Serialize(new { count = refused.Count, rows = listed }, AuditLog.PayloadJson), options.Value.MaxPayloadBytes),
        };
        await using var insert = InsertCommand(connection, transaction);
        await InsertAsync(insert, Seal(hasher, notice, sequence + 1, heads.GetValueOrDefault(AuditCategory.Security, Genesis), key.CurrentVersion), ct);
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
            await AuditSql.For(db.Database).LockChainAsync(connection, transaction, ct);
            var name = category.ToString();

            // Only a prefix of the category's chain may go: everything before its first unexpired event.
            var firstKept = await ScalarLongAsync(connection, transaction,
                "SELECT COALESCE(MIN(\"Sequence\"), 9223372036854775807) FROM \"AuditEvents\" WHERE \"Category\" = @c AND \"Timestamp\" >= @cutoff", ct,
                new SqlParam("@c", name), new SqlParam("@cutoff", cutoff.UtcTicks));
            long count = 0;
            long lastSequence = 0;
            var lastHash = "";
            await using (var select = Command(connection, transaction,
                "SELECT \"Sequence\", \"Hash\" FROM \"AuditEvents\" WHERE \"Category\" = @c AND \"Sequence\" < @keep ORDER BY \"Sequence\" LIMIT @n",
                new SqlParam("@c", name), new SqlParam("@keep", firstKept), new SqlParam("@n", options.Value.PurgeBatchSize)))
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

            // Read before the delete: when the purge removes the newest events too (an idle install), MAX afterwards would
            // hand the anchor a sequence number an event already had.
            var sequence = await ScalarLongAsync(connection, transaction, "SELECT COALESCE(MAX(\"Sequence\"), 0) FROM \"AuditEvents\"", ct);
            await using (var delete = Command(connection, transaction,
                "DELETE FROM \"AuditEvents\" WHERE \"Category\" = @c AND \"Sequence\" <= @last", new SqlParam("@c", name), new SqlParam("@last", lastSequence)))
            {
                await delete.ExecuteNonQueryAsync(ct);
            }

            var head = await ScalarStringAsync(connection, transaction,
                "SELECT \"Hash\" FROM \"AuditEvents\" WHERE \"Category\" = @c ORDER BY \"Sequence\" DESC LIMIT 1", ct, new SqlParam("@c", name)) ?? lastHash;
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
            await InsertAsync(insert, Seal(hasher, anchor, sequence + 1, head, key.CurrentVersion), ct);
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
        // On PostgreSQL the anchors and the walk read one snapshot: another instance may purge between the two reads,
        // and a walk that sees the purge without its anchor would report the purged events as deleted.
        await using var snapshot = db.Database.IsPostgres() ? await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct) : null;
        var transaction = snapshot?.GetDbTransaction();

        var anchors = await ReadAnchorsAsync(connection, transaction, ct);
        // Every purge deletes a prefix of one category through its anchor's PurgedThroughSequence, so a sequence number
        // missing above the highest of them was never purged: it was deleted.
        var purgedThrough = anchors.Values.SelectMany(list => list).Select(a => a.PurgedThroughSequence).DefaultIfEmpty(0).Max();
        var heads = new Dictionary<AuditCategory, string>();
        using var hashers = new KeyedHashers(key);
        long checkedCount = 0;
        long previousSequence = 0;
        await using var select = Command(connection, transaction,
            "SELECT \"Sequence\", \"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"AgentKey\", \"RunId\", \"Summary\", \"Payload\", \"PreviousHash\", \"Hash\", \"KeyVersion\" FROM \"AuditEvents\" ORDER BY \"Sequence\"");
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
                KeyVersion = reader.IsDBNull(12) ? "" : reader.GetString(12),
            };

            if (sequence > previousSequence + 1 && sequence - 1 > purgedThrough)
            {
                return Broken(sequence, $"events #{previousSequence + 1} to #{sequence - 1} are missing and no retention anchor accounts for them: they were deleted outside retention");
            }

            if (hashers.For(e.KeyVersion) is not { } hasher)
            {
                return Broken(sequence, $"it was sealed with audit key version '{e.KeyVersion}', which is not configured: " +
                    $"add that key as AgentConsole:Audit:Keys:{e.KeyVersion} to verify events sealed before the key was rotated");
            }

            if (!string.Equals(hasher.Compute(e, e.Sequence, e.PreviousHash), e.Hash, StringComparison.Ordinal))
            {
                return Broken(sequence, "its content does not match its hash: the event was modified");
            }

            if (e.Action == PurgeAction && CheckAnchor(e) is { } problem)
            {
                return Broken(sequence, problem);
            }

            var expectedPrevious = heads.TryGetValue(category, out var head) ? head : FirstLink(anchors, category, sequence);
            if (!string.Equals(e.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                return Broken(sequence, heads.ContainsKey(category)
                    ? $"it does not link to the previous {category} event: an event before it was deleted, inserted or reordered"
                    : $"it is the oldest {category} event but links to a hash no genesis or retention anchor accounts for: older events were deleted outside retention");
            }

            heads[category] = e.Hash;
            previousSequence = sequence;
            checkedCount++;
        }

        return new AuditVerification(true, checkedCount, null, null, watch.Elapsed);

        AuditVerification Broken(long sequence, string reason)
        {
            LogBroken(logger, sequence, reason);
            return new AuditVerification(false, checkedCount, sequence, reason, watch.Elapsed);
        }
    }

    /// <summary>
    /// A retention anchor vouches for deleted events, so a valid hash is not enough: only the purge writes anchors (as
    /// the system actor, never through the outbox), after the events it removed, with a cut-off at least the retention
    /// it names before its own time, and a retention the settings allow. Why the anchor's own retention rather than
    /// today's setting: raising a retention later must not turn the anchors of earlier purges into false alarms.
    /// </summary>
    private static string? CheckAnchor(AuditEvent e)
    {
        if (e.ActorType != AuditActorType.System || e.Actor != AuditActor.System.Name)
        {
            return $"it is a retention anchor from '{e.Actor}', not from the system: only the retention purge writes anchors";
        }

        if (ParseAnchor(e.Payload) is not { } anchor)
        {
            return "it is a retention anchor whose payload cannot be read";
        }

        if (anchor.PurgedThroughSequence >= e.Sequence || anchor.PurgedCount <= 0)
        {
            return $"it is a retention anchor for events through #{anchor.PurgedThroughSequence}, which is not before the anchor itself";
        }

        if (anchor.RetentionDays is < AuditOptions.MinRetentionDays or > AuditOptions.MaxRetentionDays)
        {
            return $"it is a retention anchor for a retention of {anchor.RetentionDays} days, outside the {AuditOptions.MinRetentionDays} to {AuditOptions.MaxRetentionDays} days the settings allow";
        }

        if (anchor.Cutoff > e.Timestamp.AddDays(-anchor.RetentionDays))
        {
            return $"it is a retention anchor whose cut-off {anchor.Cutoff:O} is less than {anchor.RetentionDays} days before the anchor ({e.Timestamp:O}): it removed events that were not yet expired";
        }

        return null;
    }

    private static AnchorPayload? ParseAnchor(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<AnchorPayload>(payload, AuditLog.PayloadJson);
        }
        catch (JsonException)
        {
            return null;
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

    private static async Task<Dictionary<AuditCategory, List<AnchorPayload>>> ReadAnchorsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        var anchors = new Dictionary<AuditCategory, List<AnchorPayload>>();
        // Every anchor is read up front because events before it link to it; the walk still reaches each anchor and
        // fails there if it is not one the purge could have written (CheckAnchor), so a forged one never passes.
        await using var select = Command(connection, transaction, "SELECT \"Category\", \"Payload\" FROM \"AuditEvents\" WHERE \"Action\" = @a", new SqlParam("@a", PurgeAction));
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!Enum.TryParse<AuditCategory>(reader.GetString(0), out var category))
            {
                continue;
            }

            // A mangled anchor is caught by its own checks during the walk.
            if (ParseAnchor(reader.GetString(1)) is { } anchor)
            {
                (anchors.TryGetValue(category, out var list) ? list : anchors[category] = []).Add(anchor);
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
            "SELECT \"Hash\" FROM \"AuditEvents\" WHERE \"Category\" = @c ORDER BY \"Sequence\" DESC LIMIT 1", new SqlParam("@c", ""));
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

    private static AuditEvent Seal(ChainHasher hasher, AuditEvent e, long sequence, string previousHash, string keyVersion) => new()
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
        KeyVersion = keyVersion,
    };

    private static DbCommand InsertCommand(DbConnection connection, DbTransaction transaction)
    {
        var insert = Command(connection, transaction,
            "INSERT INTO \"AuditEvents\" (\"Sequence\", \"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"AgentKey\", \"RunId\", \"Summary\", \"Payload\", \"PreviousHash\", \"Hash\", \"KeyVersion\") " +
            "VALUES (@seq, @ts, @at, @actor, @cat, @action, @agent, @run, @summary, @payload, @prev, @hash, @kv)");
        foreach (var name in (string[])["@seq", "@ts", "@at", "@actor", "@cat", "@action", "@agent", "@run", "@summary", "@payload", "@prev", "@hash", "@kv"])
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
        p[12].Value = e.KeyVersion;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} audit outbox rows (#{First} to #{Last}) without a valid MAC or readable content; moved to AuditQuarantine")]
    private static partial void LogQuarantined(ILogger logger, int count, long first, long last);

    private sealed record QuarantinedRow(long OutboxId, string Reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit chain verification failed at event #{Sequence}: {Reason}")]
    private static partial void LogBroken(ILogger logger, long sequence, string reason);
}
