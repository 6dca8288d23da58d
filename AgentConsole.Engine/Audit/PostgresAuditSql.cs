using System.Data.Common;
using System.Globalization;
using System.Text;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// PostgreSQL: several instances may seal at once, so a transaction-scoped advisory lock makes one of them the sealer
/// (or purger) at a time cluster-wide; batches travel as arrays read with unnest; text search is the generated
/// tsvector column of <see cref="AuditSearchSql"/>.
/// </summary>
internal sealed class PostgresAuditSql : AuditSql
{
    public static readonly PostgresAuditSql Instance = new();

    /// <summary>The advisory lock key of the audit chain ("AuditChn" in ASCII); no other lock in the app uses it.</summary>
    public const long ChainLockKey = 0x4175_6469_7443_686E;

    public override bool IsPostgres => true;

    public override async Task LockChainAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = AuditChain.Command(connection, transaction, "SELECT pg_advisory_xact_lock(@key)");
        Add(command, "@key", ChainLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    // FOR UPDATE: the rows read are the rows whose text is copied into the events and that are deleted, even if someone
    // with database access updates one meanwhile (read committed would otherwise copy the newer, unauthenticated text).
    public override string ReadOutboxSql { get; } = $"SELECT {OutboxColumns} FROM \"AuditOutbox\" ORDER BY \"Id\" LIMIT @n FOR UPDATE";

    public override DbCommand InsertSealed(DbConnection connection, DbTransaction transaction, IReadOnlyList<SealedLink> links, string keyVersion)
    {
        var command = AuditChain.Command(connection, transaction,
            $"INSERT INTO \"AuditEvents\" ({EventColumns}) " +
            "SELECT l.seq, l.ts, l.at, o.\"Actor\", l.cat, o.\"Action\", o.\"AgentKey\", o.\"RunId\", o.\"Summary\", o.\"Payload\", l.prev, l.hash, @kv " +
            "FROM unnest(@ids, @seqs, @ts, @ats, @cats, @prevs, @hashes) AS l(id, seq, ts, at, cat, prev, hash) " +
            "JOIN \"AuditOutbox\" o ON o.\"Id\" = l.id");
        Add(command, "@ids", links.Select(l => l.OutboxId).ToArray());
        Add(command, "@seqs", links.Select(l => l.Sequence).ToArray());
        Add(command, "@ts", links.Select(l => l.Ticks).ToArray());
        Add(command, "@ats", links.Select(l => l.ActorType).ToArray());
        Add(command, "@cats", links.Select(l => l.Category).ToArray());
        Add(command, "@prevs", links.Select(l => l.PreviousHash).ToArray());
        Add(command, "@hashes", links.Select(l => l.Hash).ToArray());
        Add(command, "@kv", keyVersion);
        return command;
    }

    public override DbCommand CopyToQuarantine(DbConnection connection, DbTransaction transaction, IReadOnlyList<(long OutboxId, string Reason)> refused, long now)
    {
        // The quarantine keeps every value as text: on SQLite a forged row may hold anything in any column.
        var command = AuditChain.Command(connection, transaction,
            $"INSERT INTO \"AuditQuarantine\" ({QuarantineColumns}) " +
            "SELECT o.\"Id\", @now, l.reason, o.\"Timestamp\"::text, o.\"ActorType\", o.\"Actor\", o.\"Category\", o.\"Action\", o.\"AgentKey\", o.\"RunId\", o.\"Summary\", o.\"Payload\", o.\"KeyVersion\", o.\"Mac\" " +
            "FROM unnest(@ids, @reasons) AS l(id, reason) JOIN \"AuditOutbox\" o ON o.\"Id\" = l.id");
        Add(command, "@now", now);
        Add(command, "@ids", refused.Select(r => r.OutboxId).ToArray());
        Add(command, "@reasons", refused.Select(r => r.Reason).ToArray());
        return command;
    }

    public override DbCommand DeleteOutbox(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids)
    {
        var command = AuditChain.Command(connection, transaction, "DELETE FROM \"AuditOutbox\" WHERE \"Id\" = ANY(@ids)");
        Add(command, "@ids", ids.ToArray());
        return command;
    }

    public override (string FromWhere, string Key) TextMatch(DbCommand command, FtsQuery.Result text)
    {
        // Each term becomes a tsquery in the database, normalised by the same function as the indexed text, so the
        // query and the index can never tokenise differently.
        var match = new StringBuilder();
        for (var i = 0; i < text.Include.Count; i++)
        {
            match.Append(i == 0 ? "" : " && ").Append(Term(command, $"@t{i}", text.Include[i]));
        }

        for (var i = 0; i < text.Exclude.Count; i++)
        {
            match.Append(" && !!").Append(Term(command, $"@x{i}", text.Exclude[i]));
        }

        return ($" FROM \"AuditEvents\" e WHERE e.\"{AuditSearchSql.Column}\" @@ ({match})", "e.\"Sequence\"");
    }

    private static string Term(DbCommand command, string name, FtsQuery.Term term)
    {
        Add(command, name, term.Text);
        return string.Create(CultureInfo.InvariantCulture, $"\"{AuditSearchSql.TermFunction}\"({name}, {(term.Prefix ? "true" : "false")})");
    }

    // The actor's own collation would compare by locale (where U+FFFF is no upper bound); "C" compares as SQLite does.
    public override string ActorPrefix => "e.\"Actor\" COLLATE \"C\" >= @actor AND e.\"Actor\" COLLATE \"C\" < @actorEnd";
}
