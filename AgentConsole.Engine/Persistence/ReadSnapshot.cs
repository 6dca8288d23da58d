using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// A read-only transaction, so several queries see one consistent state (e.g. rollups and the deltas not folded yet,
/// while the folder moves rows from one to the other). On SQLite a deferred transaction: a snapshot without the write
/// lock that <c>BEGIN IMMEDIATE</c>, Microsoft.Data.Sqlite's default, would take.
/// </summary>
public static class ReadSnapshot
{
    public static async Task<IDbContextTransaction> BeginAsync(AgentConsoleDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        }

        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = connection.BeginTransaction(deferred: true);
        return await db.Database.UseTransactionAsync(transaction, ct)
            ?? throw new InvalidOperationException("EF Core did not take the read transaction.");
    }
}
