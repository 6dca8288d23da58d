using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;
using AgentConsole.Engine.Persistence;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// The audit log's provider-specific SQL, and nothing else: how sealers exclude each other, how a batch of sealed rows
/// and the ids to remove travel to the database (json_each on SQLite, arrays on PostgreSQL) and how the text search
/// matches (FTS5 on SQLite, a tsvector on PostgreSQL). Everything else the chain and the search run is portable SQL
/// (quoted identifiers, <c>@name</c> parameters).
/// </summary>
internal abstract class AuditSql
{
    /// <summary>The columns the sealer reads from an outbox row, in the order <see cref="OutboxRows.Authenticate"/> expects.</summary>
    protected const string OutboxColumns =
        "\"Id\", \"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"AgentKey\", \"RunId\", \"Summary\", \"Payload\", \"KeyVersion\", \"Mac\"";

    protected const string EventColumns =
        "\"Sequence\", \"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"AgentKey\", \"RunId\", \"Summary\", \"Payload\", \"PreviousHash\", \"Hash\", \"KeyVersion\"";

    protected const string QuarantineColumns =
        "\"OutboxId\", \"QuarantinedAt\", \"Reason\", \"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"AgentKey\", \"RunId\", \"Summary\", \"Payload\", \"KeyVersion\", \"Mac\"";

    public static AuditSql For(DatabaseFacade database) => database.IsPostgres() ? PostgresAuditSql.Instance : SqliteAuditSql.Instance;

    public abstract bool IsPostgres { get; }

    /// <summary>
    /// Makes this transaction the only sealer or purger of the chain until it ends. Runs first in the transaction: every
    /// later statement then sees what the previous holder committed (its events, its MAX(Sequence), its deletes).
    /// </summary>
    public abstract Task LockChainAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>The oldest <c>@n</c> outbox rows, in id order.</summary>
    public abstract string ReadOutboxSql { get; }

    /// <summary>Inserts the sealed events in one statement, their free text copied from the outbox rows just read.</summary>
    public abstract DbCommand InsertSealed(DbConnection connection, DbTransaction transaction, IReadOnlyList<SealedLink> links, string keyVersion);

    /// <summary>Copies the refused outbox rows, as they are, into the quarantine.</summary>
    public abstract DbCommand CopyToQuarantine(DbConnection connection, DbTransaction transaction, IReadOnlyList<(long OutboxId, string Reason)> refused, long now);

    /// <summary>
    /// Deletes exactly these outbox rows. Never a range: on PostgreSQL ids are handed out before commit, so a row below
    /// the highest id read may commit later, and a range delete would drop it unsealed.
    /// </summary>
    public abstract DbCommand DeleteOutbox(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids);

    /// <summary>
    /// The FROM and WHERE of a text search, with <c>e</c> the events; null for a search without text. The key is the
    /// column to order and page by (the same sequence number, taken from where the index is cheapest to walk).
    /// </summary>
    public abstract (string FromWhere, string Key) TextMatch(DbCommand command, FtsQuery.Result text);

    /// <summary>A case-sensitive "starts with" on the actor (the caller adds @actor and @actorEnd).</summary>
    public abstract string ActorPrefix { get; }

    /// <summary>The values of one sealed event that the sealer computed; its free text stays in the outbox row.</summary>
    internal readonly record struct SealedLink(long OutboxId, long Sequence, long Ticks, string ActorType, string Category, string PreviousHash, string Hash);

    protected static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
