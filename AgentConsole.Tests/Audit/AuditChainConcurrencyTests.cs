using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Audit;

/// <summary>
/// The chain with several writers and several instances: on PostgreSQL (whatever the test provider) ids are handed out
/// before commit and two instances seal at once, so these are about PostgreSQL; SQLite runs them too where they mean
/// something (two instances over one file).
/// </summary>
public sealed class AuditChainConcurrencyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static AuditEntry Entry(string summary) => new(AuditCategory.Configuration, "test.event", AuditActor.User("owner@example.com"), summary);

    [Fact]
    public async Task Seal_KeepsAnOutboxRowWithALowerId_ThatCommitsWhileASealIsUnderWay_AndSealsItNextPass()
    {
        var connection = await AuditInstance.NewDatabaseAsync(DatabaseProvider.Postgres);
        await using var app = await AuditInstance.StartAsync(DatabaseProvider.Postgres, connection, _time);
        // A gate in the middle of the sealer's transaction: inserting the events waits on an advisory lock this test
        // holds, after the sealer read the outbox and before it deletes what it sealed.
        await using var gate = new NpgsqlConnection(connection);
        await gate.OpenAsync();
        await ExecuteAsync(gate, """
            CREATE FUNCTION test_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN NULL; END $$;
            CREATE TRIGGER test_gate AFTER INSERT ON "AuditEvents" FOR EACH STATEMENT EXECUTE FUNCTION test_gate();
            SELECT pg_advisory_lock(4242);
            """);

        // A writer takes its outbox id, then a later writer commits first: the id order is not the commit order.
        await using var late = await app.Contexts.CreateDbContextAsync();
        await using var lateTransaction = await late.Database.BeginTransactionAsync();
        app.Log.Record(late, Entry("committed late"));
        await late.SaveChangesAsync();
        await app.Log.RecordAsync(Entry("committed first"));

        var sealing = app.Chain.SealPendingAsync();
        await WaitUntilAsync(gate, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted)");
        await lateTransaction.CommitAsync();
        await ExecuteAsync(gate, "SELECT pg_advisory_unlock(4242)");
        var first = await sealing;

        await using var db = await app.Contexts.CreateDbContextAsync();
        Assert.Equal(1, first);
        Assert.Equal(["committed late"], await db.AuditOutbox.Select(o => o.Summary).ToListAsync());

        var second = await app.Chain.SealPendingAsync();

        Assert.Equal(1, second);
        Assert.Equal(["committed first", "committed late"], await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Summary).ToListAsync());
        Assert.False(await db.AuditOutbox.AnyAsync());
        var verification = await app.Chain.VerifyAsync();
        Assert.True(verification.Ok, verification.Reason);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitUntilAsync(NpgsqlConnection connection, string condition)
    {
        await using var command = new NpgsqlCommand(condition, connection);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await command.ExecuteScalarAsync(timeout.Token) is not true)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task TwoInstances_SealingAtOnce_WhileSeveralWritersRecord_SealEveryEntryExactlyOnce(DatabaseProvider provider)
    {
        var connection = await AuditInstance.NewDatabaseAsync(provider);
        await using var a = await AuditInstance.StartAsync(provider, connection, _time);
        await using var b = await AuditInstance.StartAsync(provider, connection, _time);
        const int Writers = 4;
        const int PerWriter = 60;

        using var stop = new CancellationTokenSource();
        var sealers = new[] { a, b }.Select(app => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await app.Chain.SealPendingAsync();
            }
        })).ToList();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var app = w % 2 == 0 ? a : b;
            for (var i = 0; i < PerWriter; i++)
            {
                // Single entries and small batches, both paths that write the outbox.
                if (i % 5 == 0)
                {
                    await app.Log.RecordBatchAsync([Entry($"writer {w} entry {i}"), Entry($"writer {w} entry {i} (batched)")]);
                }
                else
                {
                    await app.Log.RecordAsync(Entry($"writer {w} entry {i}"));
                }
            }
        })).ToList();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await Task.WhenAll(sealers);
        await a.Chain.SealPendingAsync();

        await using var db = await a.Contexts.CreateDbContextAsync();
        var sealedEvents = await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.Summary }).ToListAsync();
        var expected = Writers * (PerWriter + PerWriter / 5);
        Assert.Equal(expected, sealedEvents.Count);
        Assert.Equal(expected, sealedEvents.Select(e => e.Summary).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), sealedEvents.Select(e => e.Sequence));
        Assert.False(await db.AuditOutbox.AnyAsync());
        Assert.False(await db.AuditQuarantine.AnyAsync());
        var fromA = await a.Chain.VerifyAsync();
        var fromB = await b.Chain.VerifyAsync();
        Assert.True(fromA.Ok, fromA.Reason);
        Assert.True(fromB.Ok, fromB.Reason);
    }
}
