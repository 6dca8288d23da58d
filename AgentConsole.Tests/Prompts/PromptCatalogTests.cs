using System.Text.Json;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Prompts;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Prompts;

public sealed class PromptCatalogTests : IAsyncLifetime
{
    private const string Owner = "owner@example.com";
    private const string Admin = "admin@example.com";
    private const string AgentKey = "lead-router";
    private TestDatabase _db = default!;
    private PromptCatalog _catalog = default!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _catalog = new PromptCatalog(_db.Contexts, _db.Get<AuditLog>(), new PublishGate(_db.Contexts), _db.Get<ToolRegistry>(), _db.Time);
        var created = await _db.Get<AgentCatalog>().CreateAsync(new AgentDefinition
        {
            Key = AgentKey,
            Name = "Inbound lead router",
            Tools = [new ToolGrant { Tool = "crm_find_company", Scope = ToolScope.Read }],
        }, "system");
        Assert.Equal(AgentSaveOutcome.Saved, created.Outcome);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static PromptSections Sections(string role) => new()
    {
        Role = role,
        Tools = "Look companies up with crm_find_company.",
        Boundaries = "Escalate anything unclear.",
        Prohibitions = "- promise prices\n- promise dates",
    };

    private async Task<PromptVersion> DraftAsync(string role = "You route leads.")
    {
        var result = await _catalog.CreateDraftAsync(AgentKey, Sections(role), null, "first", Owner);
        Assert.True(result.Succeeded, result.Message);
        return result.Version!;
    }

    private async Task PassingEvaluationAsync(PromptVersion version, int passed = 19, int total = 20)
    {
        await using var db = await _db.Contexts.CreateDbContextAsync();
        db.Evaluations.Add(new Evaluation
        {
            Id = Guid.NewGuid(),
            AgentKey = AgentKey,
            Kind = EvaluationKind.TestSet,
            Status = EvaluationStatus.Completed,
            PromptVersionId = version.Id,
            PromptVersionNumber = version.Number,
            Total = total,
            Completed = total,
            Passed = passed,
            Failed = total - passed,
            CreatedAt = _db.Time.GetUtcNow(),
            CompletedAt = _db.Time.GetUtcNow(),
            CreatedBy = Owner,
        });
        await db.SaveChangesAsync();
    }

    private async Task<List<AuditEvent>> AuditAsync(string actionPrefix)
    {
        await _db.Get<AuditChain>().SealPendingAsync();
        await using var db = await _db.Contexts.CreateDbContextAsync();
        return await db.AuditEvents.Where(e => e.Action.StartsWith(actionPrefix)).OrderBy(e => e.Sequence).ToListAsync();
    }

    [Fact]
    public async Task CreateDraft_NumbersVersionsPerAgent_AndListsThemNewestFirst()
    {
        await DraftAsync("one");
        await DraftAsync("two");

        var versions = await _catalog.ListAsync(AgentKey);

        Assert.Equal([2, 1], versions!.Select(v => v.Number));
        Assert.All(versions!, v => Assert.Equal(PromptVersionStatus.Draft, v.Status));
        Assert.Equal(Owner, versions![0].CreatedBy);
        Assert.True(versions[0].Lint.Warnings > 0);
    }

    [Fact]
    public async Task CreateDraft_CopiesAnEarlierVersion_WhenAskedForANewDraftFromIt()
    {
        var v1 = await DraftAsync("The original role.");

        var copy = await _catalog.CreateDraftAsync(AgentKey, null, v1.Number, null, Owner);

        Assert.Equal(2, copy.Version!.Number);
        Assert.Equal("The original role.", copy.Version.Sections.Role);
        Assert.Equal("Copied from v1", copy.Version.Note);
    }

    [Fact]
    public async Task CreateDraft_IsNotFound_ForAnUnknownAgentOrSourceVersion()
    {
        Assert.Equal(PromptChangeOutcome.NotFound, (await _catalog.CreateDraftAsync("nobody", Sections("x"), null, null, Owner)).Outcome);
        Assert.Equal(PromptChangeOutcome.NotFound, (await _catalog.CreateDraftAsync(AgentKey, null, 7, null, Owner)).Outcome);
        Assert.Null(await _catalog.ListAsync("nobody"));
    }

    [Fact]
    public async Task CreateDraft_RefusesASectionOverTheLimit_AndSaysTheLimit()
    {
        var result = await _catalog.CreateDraftAsync(AgentKey, Sections(new string('x', PromptCatalog.MaxSectionCharacters + 1)), null, null, Owner);

        Assert.Equal(PromptChangeOutcome.Invalid, result.Outcome);
        Assert.Contains("20,000", result.Errors["sections.role"][0], StringComparison.Ordinal);
        Assert.Empty((await _catalog.ListAsync(AgentKey))!);
    }

    [Fact]
    public async Task SaveDraft_BumpsTheRevision_AndRefusesAStaleOne()
    {
        var draft = await DraftAsync();

        var saved = await _catalog.SaveDraftAsync(draft.Id, Sections("Edited by Olivia."), draft.Revision, null, Owner);
        var stale = await _catalog.SaveDraftAsync(draft.Id, Sections("Edited by Ray."), draft.Revision, null, "other@example.com");

        Assert.True(saved.Succeeded);
        Assert.Equal(draft.Revision + 1, saved.Version!.Revision);
        Assert.Equal(PromptChangeOutcome.Conflict, stale.Outcome);
        Assert.Contains(Owner, stale.Message, StringComparison.Ordinal);
        Assert.Equal("Edited by Olivia.", (await _catalog.GetAsync(draft.Id))!.Sections.Role);
    }

    [Fact]
    public async Task SaveDraft_RefusesToEditAPublishedVersion()
    {
        var draft = await DraftAsync();
        await PassingEvaluationAsync(draft);
        Assert.True((await _catalog.PublishAsync(draft.Id, Owner, isAdmin: false, null)).Succeeded);

        var result = await _catalog.SaveDraftAsync(draft.Id, Sections("Changed after publishing"), null, null, Owner);

        Assert.Equal(PromptChangeOutcome.Conflict, result.Outcome);
        Assert.Contains("only drafts can be edited", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_IsRefusedWithTheGatesMessage_WhenNoEvaluationPassed()
    {
        var draft = await DraftAsync();

        var result = await _catalog.PublishAsync(draft.Id, Owner, isAdmin: false, null);

        Assert.Equal(PromptChangeOutcome.GateRefused, result.Outcome);
        Assert.Contains("No completed evaluation of prompt v1", result.Message, StringComparison.Ordinal);
        Assert.Equal(PromptVersionStatus.Draft, (await _catalog.GetAsync(draft.Id))!.Status);
    }

    [Fact]
    public async Task Publish_IsRefused_WhenTheLatestEvaluationIsBelowTheThreshold()
    {
        var draft = await DraftAsync();
        await PassingEvaluationAsync(draft, passed: 15, total: 20);

        var result = await _catalog.PublishAsync(draft.Id, Owner, isAdmin: false, null);

        Assert.Equal(PromptChangeOutcome.GateRefused, result.Outcome);
        Assert.Equal(0.75, result.Gate!.PassRate);
        Assert.NotNull(result.Gate.EvaluationId);
    }

    [Fact]
    public async Task Publish_RetiresThePreviousVersion_AndAuditsWhatItReplaced()
    {
        var v1 = await DraftAsync("one");
        await PassingEvaluationAsync(v1);
        await _catalog.PublishAsync(v1.Id, Owner, false, null);
        var v2 = await DraftAsync("two");
        await PassingEvaluationAsync(v2, passed: 20);

        var result = await _catalog.PublishAsync(v2.Id, Owner, false, null);

        Assert.True(result.Succeeded, result.Message);
        var versions = await _catalog.ListAsync(AgentKey);
        Assert.Equal([PromptVersionStatus.Published, PromptVersionStatus.Retired], versions!.Select(v => v.Status));
        Assert.True(versions![1].CanRollBack);
        var published = (await AuditAsync("prompt.published")).Last();
        Assert.Equal(Owner, published.Actor);
        Assert.Equal(AgentKey, published.AgentKey);
        using var payload = JsonDocument.Parse(published.Payload);
        Assert.Equal(2, payload.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(1, payload.RootElement.GetProperty("replaced").GetInt32());
    }

    [Fact]
    public async Task Publish_WithAnOverrideReason_IsForbiddenToAnOwner()
    {
        var draft = await DraftAsync();

        var result = await _catalog.PublishAsync(draft.Id, Owner, isAdmin: false, "We need it live today.");

        Assert.Equal(PromptChangeOutcome.Forbidden, result.Outcome);
        Assert.Equal(PromptVersionStatus.Draft, (await _catalog.GetAsync(draft.Id))!.Status);
    }

    [Fact]
    public async Task Publish_ByAdminOverride_StoresAndAuditsTheReason()
    {
        var draft = await DraftAsync();

        var result = await _catalog.PublishAsync(draft.Id, Admin, isAdmin: true, "  Hotfix for a wrong escalation rule; evaluated by hand.  ");

        Assert.True(result.Succeeded, result.Message);
        var stored = await _catalog.GetAsync(draft.Id);
        Assert.Equal(PromptVersionStatus.Published, stored!.Status);
        Assert.Equal("Hotfix for a wrong escalation rule; evaluated by hand.", stored.GateOverrideReason);
        var audit = Assert.Single(await AuditAsync("prompt.published-override"));
        Assert.Equal(Admin, audit.Actor);
        Assert.Contains("Hotfix for a wrong escalation rule", audit.Payload, StringComparison.Ordinal);
        Assert.Contains("Admin override", audit.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_PublishesAPreviouslyLiveVersionAgain_WithoutANewEvaluation()
    {
        var v1 = await DraftAsync("one");
        await PassingEvaluationAsync(v1);
        await _catalog.PublishAsync(v1.Id, Owner, false, null);
        var v2 = await DraftAsync("two");
        await _catalog.PublishAsync(v2.Id, Admin, true, "urgent");
        await using (var db = await _db.Contexts.CreateDbContextAsync())
        {
            // The pass that let v1 go live is withdrawn by a later failing run; the rollback does not ask again.
            db.Evaluations.RemoveRange(db.Evaluations);
            await db.SaveChangesAsync();
        }

        var result = await _catalog.RollbackAsync(v1.Id, Owner);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(PromptVersionStatus.Published, (await _catalog.GetAsync(v1.Id))!.Status);
        Assert.Equal(PromptVersionStatus.Retired, (await _catalog.GetAsync(v2.Id))!.Status);
        var audit = Assert.Single(await AuditAsync("prompt.rolled-back"));
        Assert.Contains("rolled back to v1, replacing v2", audit.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_IsRefused_ForADraftOrADiscardedDraft()
    {
        var draft = await DraftAsync();
        Assert.Equal(PromptChangeOutcome.Conflict, (await _catalog.RollbackAsync(draft.Id, Owner)).Outcome);

        Assert.True((await _catalog.RetireDraftAsync(draft.Id, Owner)).Succeeded);

        var retired = await _catalog.GetAsync(draft.Id);
        Assert.Equal(PromptVersionStatus.Retired, retired!.Status);
        Assert.Equal(PromptChangeOutcome.Conflict, (await _catalog.RollbackAsync(draft.Id, Owner)).Outcome);
        Assert.Single(await AuditAsync("prompt.draft-discarded"));
    }

    [Fact]
    public async Task Diff_ShowsAddedAndRemovedLines_PerSection()
    {
        var v1 = await DraftAsync("Line one\nLine two\nLine three");
        var v2 = await DraftAsync("Line one\nLine 2\nLine three\nLine four");

        var diff = await _catalog.DiffAsync(AgentKey, v1.Number, v2.Number);

        var role = Assert.Single(diff!, d => d.Changed);
        Assert.Equal("role", role.Key);
        Assert.Equal((2, 1), (role.Added, role.Removed));
        Assert.Contains(role.Lines, l => l is { Kind: DiffLineKind.Removed, Text: "Line two" });
        Assert.Contains(role.Lines, l => l is { Kind: DiffLineKind.Added, Text: "Line four" });
        var changedRow = Assert.Single(role.SideBySide, r => r.Left?.Kind == DiffLineKind.Removed);
        Assert.Equal("Line 2", changedRow.Right!.Text);
        Assert.Null(await _catalog.DiffAsync(AgentKey, 1, 9));
    }

    [Fact]
    public async Task Overview_ListsEachAgent_WithItsPublishedVersionAndDrafts()
    {
        var v1 = await DraftAsync("one");
        await _catalog.PublishAsync(v1.Id, Admin, true, "first version");
        await DraftAsync("two");
        await DraftAsync("three");

        var row = Assert.Single(await _catalog.OverviewAsync(), a => a.Key == AgentKey);

        Assert.Equal(1, row.Published);
        Assert.Equal([3, 2], row.Drafts);
        Assert.NotNull(row.Lint);
        Assert.Equal(3, (await _catalog.CurrentAsync(AgentKey))!.Number);
    }
}
