using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Audit;

/// <summary>
/// The same events on SQLite (FTS5) and on PostgreSQL (tsvector), the same queries: the same events come back. Both
/// databases are created here whatever the test provider says, since the comparison is the point.
/// </summary>
public sealed class AuditSearchProviderTests : IAsyncLifetime
{
    private AuditInstance _sqlite = default!;
    private AuditInstance _postgres = default!;

    public async Task InitializeAsync()
    {
        _sqlite = await SeedAsync(DatabaseProvider.Sqlite);
        _postgres = await SeedAsync(DatabaseProvider.Postgres);
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    private static async Task<AuditInstance> SeedAsync(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var app = await AuditInstance.StartAsync(provider, await AuditInstance.NewDatabaseAsync(provider), time);
        await app.Log.RecordBatchAsync(Enumerable.Range(1, 30).Select(i => new AuditEntry(
            AuditCategory.Decision, "decision.evaluated", AuditActor.User("owner@example.com"),
            $"Lead {i} routed to the mid-market sequence", new { lead = i, company = $"Acme {i}", route = "Mid-market sequence" }, "lead-router", $"run-{i % 3}")));
        time.Advance(TimeSpan.FromDays(10));
        await app.Log.RecordBatchAsync(Enumerable.Range(1, 20).Select(i => new AuditEntry(
            AuditCategory.Tool, "tool.called", new AuditActor(AuditActorType.ApiKey, "billing-sync"),
            $"Invoice {i} matched, amount, \"quoted\" text", new { invoice = i, vendor = "Globex, Inc.", reference = $"INV-2026-{i:000}" }, "invoice-triage")));
        time.Advance(TimeSpan.FromDays(10));
        await app.Log.RecordBatchAsync(Enumerable.Range(1, 5).Select(i => new AuditEntry(
            AuditCategory.Security, "signin.failed", AuditActor.User("mallory@example.com"), "Sign-in failed for mallory@example.com")));
        await app.Log.RecordBatchAsync([
            new AuditEntry(AuditCategory.Human, "escalation.approved", AuditActor.User("zoë@example.com"), "Approved the Café résumé for Ångström naïve ÉCOLE",
                new { note = "Crème brûlée, façade; snake_case and dotted.key.name", amount = 12.5 }),
            new AuditEntry(AuditCategory.Human, "escalation.rejected", AuditActor.User("owner@example.com"), "Rejected: cafe resume (plain spelling)",
                new { note = "under_score x-y-z 2026-12-08T10:00:00Z" }),
            new AuditEntry(AuditCategory.Configuration, "agent.updated", AuditActor.User("owner@example.com"), "Agent lead-router updated",
                new { before = new { maxSteps = 15 }, after = new { maxSteps = 20 }, key = "lead-router" }),
        ]);
        await app.Chain.SealPendingAsync();
        return app;
    }

    [Theory]
    [InlineData("invoice")]
    [InlineData("INVOICE globex")]
    [InlineData("globex -\"invoice 7\"")]
    [InlineData("mallory@example.com")]
    [InlineData("example")]
    [InlineData("lead-router")]
    [InlineData("\"mid-market sequence\"")]
    [InlineData("\"sequence lead\"")]
    [InlineData("acme*")]
    [InlineData("\"acme 1\"*")]
    [InlineData("inv-2026-01*")]
    [InlineData("2026")]
    [InlineData("sign* -mallory")]
    [InlineData("\"quoted\" text")]
    [InlineData("café")]
    [InlineData("CAFE resume")]
    [InlineData("angstrom naive ecole")]
    [InlineData("creme brulee facade")]
    [InlineData("zoe")]
    [InlineData("snake_case")]
    [InlineData("dotted.key.name")]
    [InlineData("under")]
    [InlineData("maxsteps 20")]
    [InlineData("12.5")]
    [InlineData("10:00:00z")]
    [InlineData("run-1")]
    [InlineData("OR AND NOT")]
    [InlineData("lead -lead")]
    [InlineData("\"number 5 i\"")]
    public async Task Search_FindsTheSameEvents_OnSqliteAndPostgres(string text)
    {
        var query = new AuditQuery { Text = text, Limit = 500 };

        var onSqlite = (await _sqlite.Search.SearchAsync(query)).Events.Select(e => e.Sequence).ToList();
        var onPostgres = (await _postgres.Search.SearchAsync(query)).Events.Select(e => e.Sequence).ToList();

        Assert.Equal(onSqlite, onPostgres);
        Assert.Equal(await _sqlite.Search.CountAsync(query), await _postgres.Search.CountAsync(query));
    }

    [Fact]
    public async Task Search_FindsEvents_ForEveryFixtureQuery()
    {
        // The comparison above proves nothing if both sides find nothing: most queries do find events.
        var found = 0;
        foreach (var text in new[] { "invoice", "mallory@example.com", "café", "acme*", "lead-router", "snake_case", "angstrom" })
        {
            found += (await _postgres.Search.SearchAsync(new AuditQuery { Text = text })).Events.Count > 0 ? 1 : 0;
        }

        Assert.Equal(7, found);
    }

    [Fact]
    public async Task Search_CombinesTextWithFilters_AndPagesTheSameWay_OnBothProviders()
    {
        var query = new AuditQuery { Text = "lead", Actor = "owner@", Categories = [AuditCategory.Decision], Run = "run-1", Limit = 3 };
        var pages = new List<List<long>>();
        foreach (var app in new[] { _sqlite, _postgres })
        {
            var seen = new List<long>();
            long? cursor = null;
            do
            {
                var page = await app.Search.SearchAsync(query with { Before = cursor });
                seen.AddRange(page.Events.Select(e => e.Sequence));
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            pages.Add(seen);
        }

        Assert.Equal(10, pages[0].Count);
        Assert.Equal(pages[0], pages[1]);
    }
}
