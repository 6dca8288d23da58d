using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Cluster;

/// <summary>
/// "One instance at a time" for work that is not a Hangfire job, as PostgreSQL advisory locks. On SQLite there is one
/// instance (and one writer), so every lock is granted at once.
/// </summary>
public static class ClusterLock
{
    /// <summary>Migrations, default rows and the demo seed: two instances starting on an empty database seed once.</summary>
    public const long Startup = 0x4143_0001;

    /// <summary>Folding rollup deltas: two folders reading the same deltas would count them twice.</summary>
    public const long RollupFold = 0x4143_0002;

    /// <summary>Draining the trigger inbox: two processors would race to start a run for the same event.</summary>
    public const long TriggerInbox = 0x4143_0003;

    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Takes <paramref name="key"/> for the current transaction of <paramref name="db"/> if no other session holds it;
    /// false means another instance is doing the work right now, and the caller skips it. Released at commit or rollback.
    /// </summary>
    public static async Task<bool> TryTakeForTransactionAsync(AgentConsoleDbContext db, long key, CancellationToken ct)
    {
        if (!db.Database.IsPostgres())
        {
            return true;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A transaction-scoped cluster lock needs a transaction.");
        }

        return await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({key}) AS \"Value\"").SingleAsync(ct);
    }

    /// <summary>
    /// Waits until <paramref name="key"/> is free and holds it on <paramref name="db"/>'s connection until disposed
    /// (polling rather than blocking, so no command timeout cuts a long wait, and cancelling stops waiting).
    /// </summary>
    public static async Task<IAsyncDisposable> HoldAsync(AgentConsoleDbContext db, long key, CancellationToken ct)
    {
        if (!db.Database.IsPostgres())
        {
            return NotHeld.Instance;
        }

        await db.Database.OpenConnectionAsync(ct);
        while (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(ct))
        {
            await Task.Delay(RetryEvery, ct);
        }

        return new Held(db, key);
    }

    private sealed class Held(AgentConsoleDbContext db, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.SqlQuery<bool>($"SELECT pg_advisory_unlock({key}) AS \"Value\"").SingleAsync();
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed class NotHeld : IAsyncDisposable
    {
        public static readonly NotHeld Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
