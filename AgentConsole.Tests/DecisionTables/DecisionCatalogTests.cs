using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.DecisionTables;

public sealed class DecisionCatalogTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private DecisionCatalog Catalog => _db.Get<DecisionCatalog>();

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static DmnModel Table(string name, params (string Input, string Output)[] rules) => new()
    {
        Name = name,
        Decisions =
        [
            new DecisionTableDefinition
            {
                Name = name,
                HitPolicy = HitPolicy.Unique,
                Inputs = [new DecisionInput { Id = "in1", Expression = "employees", TypeRef = FeelType.Number }],
                Outputs = [new DecisionOutput { Id = "out1", Name = "route", TypeRef = FeelType.String }],
                Rules = [.. rules.Select((r, i) => new DecisionRule { Id = $"r{i + 1}", InputEntries = [r.Input], OutputEntries = [r.Output] })],
            },
        ],
    };

    /// <summary>As stored: the catalog declares the plain-name input expressions as input data.</summary>
    private static DmnModel Stored(DmnModel model) => ImplicitInputData.Declare(model);

    private static DmnModel LeadRouting(string middle = "[11..500]") =>
        Table("Lead routing", ("< 10", "\"SMB sequence\""), (middle, "\"Mid-market sequence\""), ("> 500", "\"Human review\""));

    [Fact]
    public async Task Create_StoresDraftVersion1_UnderAKeyDerivedFromTheName()
    {
        var created = await Catalog.CreateAsync(LeadRouting(), "owner@example.com", "lead-router");

        Assert.Equal("lead-routing", created.Decision.Key);
        Assert.Equal(1, created.Version.Number);
        Assert.Equal(DecisionVersionStatus.Draft, created.Version.Status);
        var loaded = await Catalog.LoadAsync("lead-routing");
        Assert.Equal(Stored(LeadRouting()), loaded!.Model);
        Assert.Equal(["employees"], loaded.Model.InputData.Select(i => i.Name));
        Assert.Equal(FeelType.Number, loaded.Model.InputData[0].TypeRef);
    }

    [Fact]
    public async Task Create_MakesKeysUnique()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner");
        var second = await Catalog.CreateAsync(LeadRouting(), "owner");
        var third = await Catalog.CreateAsync(LeadRouting(), "owner");

        Assert.Equal("lead-routing-2", second.Decision.Key);
        Assert.Equal("lead-routing-3", third.Decision.Key);
    }

    [Fact]
    public async Task Publish_TurnsTheDraftIntoThePublishedVersion_AndRetiresThePreviousOne()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner");
        await Catalog.PublishDraftAsync("lead-routing", "owner");

        var saved = await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[10..500]"), null, "owner");
        var published = await Catalog.PublishDraftAsync("lead-routing", "owner");

        Assert.True(saved.Succeeded);
        Assert.Equal(2, saved.Decision!.Version.Number);
        Assert.True(published.Succeeded);
        var v1 = await Catalog.LoadAsync("lead-routing", "1");
        var current = await Catalog.LoadAsync("lead-routing", DecisionCatalog.Published);
        Assert.Equal(DecisionVersionStatus.Retired, v1!.Version.Status);
        Assert.Equal(2, current!.Version.Number);
        Assert.Null(await Catalog.LoadAsync("lead-routing", DecisionCatalog.Draft));
    }

    [Fact]
    public async Task SaveDraft_NeverChangesThePublishedVersion()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner");
        await Catalog.PublishDraftAsync("lead-routing", "owner");

        await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[10..500]"), null, "owner");

        var published = await Catalog.LoadAsync("lead-routing", DecisionCatalog.Published);
        Assert.Equal(Stored(LeadRouting()), published!.Model);
        Assert.Equal(Stored(LeadRouting("[10..500]")), (await Catalog.LoadAsync("lead-routing"))!.Model);
    }

    [Fact]
    public async Task SaveDraft_ReportsAConflict_WhenTheDraftChangedSinceItWasOpened()
    {
        var created = await Catalog.CreateAsync(LeadRouting(), "owner");
        var opened = created.Version.Revision;
        await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[10..500]"), opened, "alice");

        var late = await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[11..499]"), opened, "bob");

        Assert.Equal(DecisionChangeOutcome.Conflict, late.Outcome);
        Assert.Contains("alice", late.Message, StringComparison.Ordinal);
        Assert.Equal(Stored(LeadRouting("[10..500]")), (await Catalog.LoadAsync("lead-routing"))!.Model);
    }

    [Fact]
    public async Task Rollback_PublishesAnOldVersionAgain()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner");
        await Catalog.PublishDraftAsync("lead-routing", "owner");
        await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[10..500]"), null, "owner");
        await Catalog.PublishDraftAsync("lead-routing", "owner");

        var rolledBack = await Catalog.RollbackAsync("lead-routing", 1, "owner");

        Assert.True(rolledBack.Succeeded);
        var published = await Catalog.LoadAsync("lead-routing", DecisionCatalog.Published);
        Assert.Equal(1, published!.Version.Number);
        Assert.Equal(DecisionVersionStatus.Retired, (await Catalog.LoadAsync("lead-routing", "2"))!.Version.Status);
    }

    [Fact]
    public async Task Rollback_RefusesTheDraftAndThePublishedVersion()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner");
        await Catalog.PublishDraftAsync("lead-routing", "owner");
        await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[10..500]"), null, "owner");

        Assert.Equal(DecisionChangeOutcome.Invalid, (await Catalog.RollbackAsync("lead-routing", 1, "owner")).Outcome);
        Assert.Equal(DecisionChangeOutcome.Invalid, (await Catalog.RollbackAsync("lead-routing", 2, "owner")).Outcome);
        Assert.Equal(DecisionChangeOutcome.NotFound, (await Catalog.RollbackAsync("lead-routing", 9, "owner")).Outcome);
    }

    [Fact]
    public async Task Diff_ListsChangedCells_AddedAndRemovedRules()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner");
        await Catalog.PublishDraftAsync("lead-routing", "owner");
        var edited = Table("Lead routing", ("< 10", "\"SMB sequence\""), ("[10..500]", "\"Mid-market sequence\""), ("> 1000", "\"Human review\""), ("[501..1000]", "\"Enterprise\""));
        await Catalog.SaveDraftAsync("lead-routing", edited with { Decisions = [((DecisionTableDefinition)edited.Decisions[0]) with { HitPolicy = HitPolicy.First }] }, null, "owner");

        var diff = await Catalog.DiffAsync("lead-routing", 1, 2);

        Assert.NotNull(diff);
        Assert.Contains(diff, c => c is { Kind: DiffKind.Changed, Area: "rule", Item: "rule 2", Field: "employees", From: "[11..500]", To: "[10..500]" });
        Assert.Contains(diff, c => c is { Kind: DiffKind.Changed, Item: "rule 3", From: "> 500", To: "> 1000" });
        Assert.Contains(diff, c => c is { Kind: DiffKind.Added, Item: "rule 4" });
        Assert.Contains(diff, c => c is { Area: "table", Field: "hitPolicy", From: "U", To: "F" });
        Assert.Equal(4, diff.Count);
    }

    [Fact]
    public async Task Changes_AreAudited_WithAuthorAndDiff()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner@example.com", "lead-router");
        await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[10..500]"), null, "owner@example.com");
        await Catalog.PublishDraftAsync("lead-routing", "owner@example.com");
        await _db.Get<AuditChain>().SealPendingAsync();

        await using var db = await _db.Contexts.CreateDbContextAsync();
        var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["decision.created", "decision.draft-saved", "decision.published"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("owner@example.com", e.Actor));
        Assert.All(events, e => Assert.Equal("lead-router", e.AgentKey));
        Assert.Contains("[10..500]", events[1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestCases_AreStoredPerDecision()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner");

        var added = await Catalog.AddTestCaseAsync("lead-routing", "Small company", "{\"employees\":5}", "\"SMB sequence\"", "owner");
        await Catalog.AddTestCaseAsync("lead-routing", "Large company", "{\"employees\":900}", "\"Human review\"", "owner");
        var removed = await Catalog.DeleteTestCaseAsync("lead-routing", added!.Id, "owner");

        Assert.True(removed);
        Assert.Equal(["Large company"], (await Catalog.ListTestCasesAsync("lead-routing")).Select(t => t.Name));
        Assert.Null(await Catalog.AddTestCaseAsync("missing", "x", "{}", "null", "owner"));
    }

    [Fact]
    public async Task List_SummarisesPublishedAndDraftVersions()
    {
        await Catalog.CreateAsync(LeadRouting(), "owner", "lead-router");
        await Catalog.PublishDraftAsync("lead-routing", "owner");
        await Catalog.SaveDraftAsync("lead-routing", LeadRouting("[10..500]"), null, "owner");

        var summary = Assert.Single(await Catalog.ListAsync());

        Assert.Equal(1, summary.PublishedVersion);
        Assert.Equal(2, summary.DraftVersion);
        Assert.Equal(3, summary.Rules);
        Assert.Equal(HitPolicy.Unique, summary.HitPolicy);
        Assert.Single(await Catalog.ListAsync("lead-router"));
        Assert.Empty(await Catalog.ListAsync("other-agent"));
    }
}
