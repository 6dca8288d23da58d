using System.Text.Json;
using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentConsole.Tests.Audit;

/// <summary>
/// What someone with write access to the database (but not the audit key) can try against the chain, done with raw SQL
/// on a real database of the provider under test.
/// </summary>
public sealed class AuditForgeryTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private AuditLog Log => _db.Get<AuditLog>();
    private AuditChain Chain => _db.Get<AuditChain>();

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static AuditEntry Entry(int i) => TestDatabase.NumberedEntry(i);

    private Task SeedAsync(int count, Func<int, AuditCategory>? category = null) => _db.SeedAuditAsync(count, category);

    /// <summary>An outbox row as an insider would write it: plausible content, a time of their choosing, no key.</summary>
    private Task<int> InsertForgedOutboxRowAsync(string summary, DateTimeOffset timestamp, string? mac = null, string action = "user.deleted",
        string actorType = "User", string actor = "admin@agentconsole.local", string category = "Security", string payload = "{}") =>
        ExecuteAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO \"AuditOutbox\" (\"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"Summary\", \"Payload\", \"KeyVersion\", \"Mac\") VALUES ({timestamp.UtcTicks}, {actorType}, {actor}, {category}, {action}, {summary}, {payload}, {(mac is null ? null : "1")}, {mac})"));

    private async Task<int> ExecuteAsync(Func<Engine.Persistence.AgentConsoleDbContext, Task<int>> action)
    {
        await using var db = await _db.Contexts.CreateDbContextAsync();
        return await action(db);
    }

    [Fact]
    public async Task Seal_QuarantinesABackdatedOutboxRow_AndNeverSealsIt()
    {
        await SeedAsync(3);
        var backdated = _db.Time.GetUtcNow().AddYears(-1);
        await InsertForgedOutboxRowAsync("Admin approved the refund", backdated);
        await InsertForgedOutboxRowAsync("Admin approved the other refund", backdated, mac: new string('a', 64));
        await Log.RecordAsync(Entry(4));

        var sealedCount = await Chain.SealPendingAsync();

        Assert.Equal(1, sealedCount); // the real entry; the forged rows are quarantined
        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Summary.Contains("refund")));
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Timestamp < _db.Time.GetUtcNow().AddDays(-1)));
        var quarantined = await db.AuditQuarantine.OrderBy(q => q.OutboxId).ToListAsync();
        Assert.Equal(["Admin approved the refund", "Admin approved the other refund"], quarantined.Select(q => q.Summary));
        Assert.Contains("no MAC", quarantined[0].Reason, StringComparison.Ordinal);
        Assert.Contains("invalid MAC", quarantined[1].Reason, StringComparison.Ordinal);
        var notice = await db.AuditEvents.SingleAsync(e => e.Action == AuditChain.QuarantineAction);
        Assert.Equal(AuditCategory.Security, notice.Category);
        Assert.Equal(AuditActorType.System, notice.ActorType);
        Assert.Contains("Refused 2 audit outbox row(s)", notice.Summary, StringComparison.Ordinal);
        Assert.Equal(0, await db.AuditOutbox.CountAsync());
        var verification = await Chain.VerifyAsync();
        Assert.True(verification.Ok, verification.Reason);
    }

    [Fact]
    public async Task Seal_QuarantinesARecordedRow_WhoseTimestampWasMovedBack()
    {
        await Log.RecordAsync(Entry(1));
        await _db.ExecuteSqlAsync("UPDATE \"AuditOutbox\" SET \"Timestamp\" = \"Timestamp\" - 864000000000 * 400");

        await Chain.SealPendingAsync();

        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Summary == "Event number 1"));
        Assert.Contains("invalid MAC", (await db.AuditQuarantine.SingleAsync()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seal_KeepsSealing_PastMalformedOutboxRows()
    {
        await Log.RecordAsync(Entry(1));
        var mac = new string('0', 64);
        const string Columns = "INSERT INTO \"AuditOutbox\" (\"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"AgentKey\", \"Summary\", \"Payload\", \"KeyVersion\", \"Mac\") VALUES ";
        // ExecuteSqlRaw reads braces as placeholders; double them so the JSON-ish payloads go in as written.
        Task<int> Insert(string values) => _db.ExecuteSqlAsync((Columns + values).Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
        // SQLite stores any value in any column; PostgreSQL enforces the column types, so there the two rows of the wrong
        // types are a negative time and text that only looks like a number, still refused.
        await Insert(TestDatabase.IsPostgres
            ? $"(-1, 'User', 'x', 'Security', 'a', NULL, 's', '{{}}', '1', '{mac}')"
            : $"('not a time', 'User', 'x', 'Security', 'a', NULL, 's', '{{}}', '1', '{mac}')");
        await Insert($"(9223372036854775807, 'User', 'x', 'Security', 'a', NULL, 's', '{{}}', '1', '{mac}')");
        await Insert($"(-5, 'Robot', 'x', 'Billing', 'a', NULL, 's', '{{}}', '1', '{mac}')");
        await Insert(TestDatabase.IsPostgres
            ? $"(1, 'User', '42', 'Tool', 'a', NULL, 's', '{{not json', '1', '{mac}')"
            : $"(1, 'User', 42, 'Tool', 'a', x'00ff', 's', '{{not json', '1', '{mac}')");
        await Insert("(1, 'User', 'x', 'Tool', 'a', NULL, 's', '{}', NULL, NULL)");
        await Insert($"(1, 'User', 'x', 'Tool', 'a', NULL, 's', '{{}}', 'v9', '{mac}')");
        await Log.RecordAsync(Entry(2));

        await Chain.SealPendingAsync();

        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Equal(["Event number 1", "Event number 2"],
            await db.AuditEvents.Where(e => e.Action == "test.event").OrderBy(e => e.Sequence).Select(e => e.Summary).ToListAsync());
        Assert.Equal(6, await db.AuditQuarantine.CountAsync());
        Assert.Equal(0, await db.AuditOutbox.CountAsync());
        Assert.Contains("Refused 6", (await db.AuditEvents.SingleAsync(e => e.Action == AuditChain.QuarantineAction)).Summary, StringComparison.Ordinal);
        Assert.True((await Chain.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task HealthCheck_IsDegraded_WithTheQuarantineCount()
    {
        var check = new AuditHealthCheck(_db.Contexts);
        var before = await check.CheckHealthAsync(new HealthCheckContext());
        await InsertForgedOutboxRowAsync("forged", _db.Time.GetUtcNow());
        await Chain.SealPendingAsync();

        var after = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(0, before.Data["quarantined"]);
        Assert.Equal(HealthStatus.Degraded, after.Status);
        Assert.Equal(1, after.Data["quarantined"]);
    }

    [Fact]
    public async Task Verify_Fails_WhenAPrefixIsDeletedBehindAHandMadeAnchor()
    {
        await SeedAsync(20);
        await using var db = await _db.Contexts.CreateDbContextAsync();
        var lastDeleted = await db.AuditEvents.SingleAsync(e => e.Sequence == 10);
        await _db.ExecuteSqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" <= 10");
        var anchor = JsonSerializer.Serialize(new
        {
            purgedThroughSequence = 10,
            lastPurgedHash = lastDeleted.Hash,
            purgedCount = 10,
            cutoff = _db.Time.GetUtcNow().AddDays(-90),
            retentionDays = 90,
        });
        await InsertForgedOutboxRowAsync("Retention purge: 10 Configuration event(s) older than 90 days removed, through #10",
            _db.Time.GetUtcNow(), action: AuditChain.PurgeAction, actorType: "System", actor: "system", category: "Configuration", payload: anchor);

        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(11, result.FirstBrokenSequence);
        Assert.Contains("outside retention", result.Reason, StringComparison.Ordinal);
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == AuditChain.PurgeAction));
    }

    [Fact]
    public void Record_RefusesTheRetentionAnchorAction()
    {
        using var db = _db.Contexts.CreateDbContext();

        Assert.Throws<ArgumentException>(() => Log.Record(db, new AuditEntry(AuditCategory.Security, AuditChain.PurgeAction, AuditActor.System, "fake anchor")));
    }

    [Fact]
    public async Task Verify_Fails_WhenAnAnchorsCutoffIsInsideTheRetention_EvenWithAValidHash()
    {
        var anchor = await PurgeAndRewriteAnchorAsync(a => a with { Cutoff = a.Cutoff.AddDays(80) });

        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(anchor, result.FirstBrokenSequence);
        Assert.Contains("not yet expired", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Fails_WhenAnAnchorIsNotFromTheSystem_EvenWithAValidHash()
    {
        var anchor = await PurgeAndRewriteAnchorAsync(a => a, actor: "mallory@example.com");

        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(anchor, result.FirstBrokenSequence);
        Assert.Contains("not from the system", result.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs a real purge of the Security category, then rewrites its anchor and re-hashes it with the key: what a bug,
    /// or someone holding the key, could write. Returns the anchor's sequence.
    /// </summary>
    private async Task<long> PurgeAndRewriteAnchorAsync(Func<AuditChain.AnchorPayload, AuditChain.AnchorPayload> change, string actor = "system")
    {
        await SeedAsync(10, _ => AuditCategory.Security);
        _db.Time.Advance(TimeSpan.FromDays(100));
        await Chain.PurgeExpiredAsync();
        await using var db = await _db.Contexts.CreateDbContextAsync();
        var original = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditChain.PurgeAction);
        var payload = JsonSerializer.Serialize(change(JsonSerializer.Deserialize<AuditChain.AnchorPayload>(original.Payload, AuditLog.PayloadJson)!), AuditLog.PayloadJson);
        var rewritten = new AuditEvent
        {
            Timestamp = original.Timestamp,
            ActorType = actor == "system" ? AuditActorType.System : AuditActorType.User,
            Actor = actor,
            Category = original.Category,
            Action = original.Action,
            Summary = original.Summary,
            Payload = payload,
        };
        using var hasher = new ChainHasher(TestDatabase.AuditKeyBytes);
        var hash = hasher.Compute(rewritten, original.Sequence, original.PreviousHash);
        var actorType = rewritten.ActorType.ToString();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE \"AuditEvents\" SET \"ActorType\" = {actorType}, \"Actor\" = {actor}, \"Payload\" = {payload}, \"Hash\" = {hash} WHERE \"Sequence\" = {original.Sequence}");
        return original.Sequence;
    }

    [Fact]
    public async Task Verify_Fails_WhenTheNewestEventOfACategoryIsDeleted_LeavingAnUncoveredGap()
    {
        // Odd sequences are Model, even ones Security; #29 is the newest Model event, so no later Model event links to it.
        await SeedAsync(30, i => i % 2 == 0 ? AuditCategory.Security : AuditCategory.Model);

        await _db.ExecuteSqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 29");
        var result = await Chain.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(30, result.FirstBrokenSequence);
        Assert.Contains("#29 to #29 are missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_NeverReusesASequenceNumber_WhenItRemovesTheNewestEvents()
    {
        await SeedAsync(10, _ => AuditCategory.Security);
        _db.Time.Advance(TimeSpan.FromDays(100));

        await Chain.PurgeExpiredAsync();

        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Equal(11, (await db.AuditEvents.SingleAsync()).Sequence);
        Assert.True((await Chain.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task Verify_Passes_WhenGapsAreCoveredByRealRetentionAnchors()
    {
        await SeedAsync(30, i => i % 2 == 0 ? AuditCategory.Security : AuditCategory.Model);
        _db.Time.Advance(TimeSpan.FromDays(100));
        await SeedAsync(5, _ => AuditCategory.Model);
        await Chain.PurgeExpiredAsync();

        var result = await Chain.VerifyAsync();

        Assert.True(result.Ok, result.Reason);
    }
}
