using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Audit;

public sealed class AuditChainTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private AuditChain Chain => _db.Get<AuditChain>();

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static AuditEntry Entry(int i, AuditCategory category = AuditCategory.Configuration) => TestDatabase.NumberedEntry(i, category);

    private Task SeedAsync(int count, Func<int, AuditCategory>? category = null) => _db.SeedAuditAsync(count, category);

    [Fact]
    public async Task Seal_AssignsGapFreeSequence_InRecordOrder_AndEmptiesTheOutbox()
    {
        await SeedAsync(25);

        await using var db = await _db.Contexts.CreateDbContextAsync();
        var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"Event number {i}"), events.Select(e => e.Summary));
        Assert.Equal(AuditChain.Genesis, events[0].PreviousHash);
        Assert.All(events.Skip(1).Zip(events), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.Equal(0, await db.AuditOutbox.CountAsync());
    }

    [Fact]
    public async Task Verify_PassesOnNormalData_AcrossCategories()
    {
        await SeedAsync(300, i => (AuditCategory)(i % 8));

        var result = await Chain.VerifyAsync();

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(300, result.EventsChecked);
        Assert.Null(result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_PinpointsAPayloadUpdatedWithRawSql()
    {
        await SeedAsync(50);

        await _db.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"Payload\" = '{{\"i\":17,\"note\":\"rewritten\"}}' WHERE \"Sequence\" = 17");
        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(17, result.FirstBrokenSequence);
        Assert.Contains("modified", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PinpointsADeletedRow_AtTheEventAfterIt()
    {
        await SeedAsync(50);

        await _db.ExecuteSqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 30");
        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(31, result.FirstBrokenSequence);
        Assert.Contains("deleted", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PinpointsReorderedRows()
    {
        await SeedAsync(50);

        // Swap the sequence numbers of events 10 and 11.
        await _db.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"Sequence\" = -10 WHERE \"Sequence\" = 10");
        await _db.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"Sequence\" = 10 WHERE \"Sequence\" = 11");
        await _db.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"Sequence\" = 11 WHERE \"Sequence\" = -10");
        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(10, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_DetectsDeletionOfTheOldestEvents_WithoutARetentionAnchor()
    {
        await SeedAsync(20);

        await _db.ExecuteSqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" <= 5");
        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(6, result.FirstBrokenSequence);
        Assert.Contains("outside retention", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DetectsARecomputedHash_MadeWithoutTheKey()
    {
        await SeedAsync(10);

        // Someone with database access can write any hash, but not the HMAC over the key they do not have.
        await _db.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"Summary\" = 'Nothing happened', \"Hash\" = '" + new string('e', 64) + "' WHERE \"Sequence\" = 4");
        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Purge_RemovesExpiredEventsPerCategory_AndVerificationStillPasses()
    {
        // 40 events now, alternating Security and Model.
        await SeedAsync(40, i => i % 2 == 0 ? AuditCategory.Security : AuditCategory.Model);
        _db.Time.Advance(TimeSpan.FromDays(100));
        await SeedAsync(10, _ => AuditCategory.Model);

        var results = await Chain.PurgeExpiredAsync();

        Assert.Equal(20, results.Single(r => r.Category == AuditCategory.Security).Purged);
        Assert.Equal(20, results.Single(r => r.Category == AuditCategory.Model).Purged);
        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Equal(10, await db.AuditEvents.CountAsync(e => e.Category == AuditCategory.Model && e.Action != AuditChain.PurgeAction));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == AuditChain.PurgeAction));
        var verification = await Chain.VerifyAsync();
        Assert.True(verification.Ok, verification.Reason);
    }

    [Fact]
    public async Task Purge_KeepsVerificationPassing_OverRepeatedPurgesInSmallBatches()
    {
        await using var small = await TestDatabase.CreateAsync(o => { o.PurgeBatchSize = 100; o.SealBatchSize = 64; });
        var log = small.Get<AuditLog>();
        var chain = small.Get<AuditChain>();
        for (var day = 0; day < 5; day++)
        {
            await log.RecordBatchAsync(Enumerable.Range(1, 250).Select(i => Entry(i, (AuditCategory)(i % 3))));
            small.Time.Advance(TimeSpan.FromDays(40));
            await chain.PurgeExpiredAsync();
            var verification = await chain.VerifyAsync();
            Assert.True(verification.Ok, $"day {day}: #{verification.FirstBrokenSequence} {verification.Reason}");
        }

        // And tampering after purges is still caught.
        await small.ExecuteSqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = (SELECT MIN(\"Sequence\") FROM \"AuditEvents\" WHERE \"Category\" = 'Trigger' AND \"Action\" <> 'audit.retention-purge')");
        Assert.False((await chain.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task Purge_IsIdempotent_WhenNothingExpired()
    {
        await SeedAsync(10);

        var first = await Chain.PurgeExpiredAsync();
        var second = await Chain.PurgeExpiredAsync();

        Assert.All(first.Concat(second), r => Assert.Equal(0, r.Purged));
        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Equal(10, await db.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task Purge_DeletesAPrefixOnly_WhenTimestampsInterleave()
    {
        await SeedAsync(5, _ => AuditCategory.Tool);
        _db.Time.Advance(TimeSpan.FromDays(95));
        await SeedAsync(5, _ => AuditCategory.Tool);

        var purged = (await Chain.PurgeExpiredAsync()).Single(r => r.Category == AuditCategory.Tool).Purged;

        Assert.Equal(5, purged);
        Assert.True((await Chain.VerifyAsync()).Ok);
    }
}
