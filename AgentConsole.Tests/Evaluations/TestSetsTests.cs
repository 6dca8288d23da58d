using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>The test-set service on a real engine host: sets, case validation, limits, audit, import/export and drafts from runs.</summary>
public sealed class TestSetsTests : IAsyncLifetime
{
    private const string Owner = "owner@agentconsole.local";
    private readonly RunFolders _folders = new();
    private RunHost _host = null!;

    private TestSets Sets => _host.Services.GetRequiredService<TestSets>();

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folders.New(), null, ("AgentConsole:TestSets:MaxCasesPerSet", "60"));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folders.Dispose();
    }

    private async Task<TestSet> NewSetAsync(string? name = null)
    {
        var change = await Sets.CreateAsync(DemoWorkspace.LeadRouterKey, name ?? $"Set {Guid.NewGuid():N}"[..20], null, Owner);
        return change.Set ?? throw new InvalidOperationException(change.Message);
    }

    private static TestCaseEdit Case(string name, string input = "{\"name\":\"Ada\",\"email\":\"ada@x.example\",\"company\":\"X\",\"employees\":5}") => new()
    {
        Name = name,
        InputJson = input,
        ExpectedDecisionsJson = "{\"lead-routing\":\"SMB sequence\"}",
        MustEscalate = false,
    };

    [Fact]
    public async Task Create_MakesTheFirstSetOfAnAgentItsDefault_AndAuditsIt()
    {
        await using var agentHost = await RunHost.StartAsync(_folders.New());
        var catalog = agentHost.Services.GetRequiredService<Engine.Agents.AgentCatalog>();
        var definition = DemoWorkspace.LeadRouter();
        definition.Key = "second-router";
        await catalog.CreateAsync(definition, Owner);
        var sets = agentHost.Services.GetRequiredService<TestSets>();

        var first = await sets.CreateAsync("second-router", "Smoke", "quick checks", Owner);
        var second = await sets.CreateAsync("Second-Router ", "Full", null, Owner);

        Assert.True(first.Set!.IsDefault);
        Assert.False(second.Set!.IsDefault);
        Assert.Equal("second-router", second.Set.AgentKey);
        var audited = (await AuditedAsync(agentHost, "second-router")).Where(a => a.StartsWith("test-set.", StringComparison.Ordinal));
        Assert.Equal(["test-set.created by " + Owner, "test-set.created by " + Owner], audited);
    }

    [Fact]
    public async Task Create_RefusesAMissingOrTakenName_AndAnUnknownAgent()
    {
        var set = await NewSetAsync();

        var empty = await Sets.CreateAsync(DemoWorkspace.LeadRouterKey, "  ", null, Owner);
        var taken = await Sets.CreateAsync(DemoWorkspace.LeadRouterKey, set.Name, null, Owner);
        var noAgent = await Sets.CreateAsync("no-such-agent", "x", null, Owner);

        Assert.Equal("Give the test set a name.", Assert.Single(empty.Errors[TestSets.SetName]));
        Assert.Contains("already has a test set called", Assert.Single(taken.Errors[TestSets.SetName]), StringComparison.Ordinal);
        Assert.Equal(TestSetChangeOutcome.NotFound, noAgent.Outcome);
    }

    [Fact]
    public async Task AddCase_ExplainsEveryMistake_InWordsAnOwnerUnderstands()
    {
        var set = await NewSetAsync();
        var bad = new TestCaseEdit
        {
            Name = "",
            InputJson = "[1, 2]",
            ExpectedDecisionsJson = "{\"pricing\": \"high\"}",
            MustCall = ["crm_find_company", "launch_rockets"],
            MustNotCall = ["crm_find_company"],
            OutputContains = ["SMB", " "],
        };

        var result = await Sets.AddCaseAsync(set.Id, bad, Owner);

        Assert.Equal(TestSetChangeOutcome.Invalid, result.Outcome);
        Assert.Equal(
            [TestCaseValidation.ExpectedDecisions, TestCaseValidation.Input, TestCaseValidation.MustCall, TestCaseValidation.MustNotCall, TestCaseValidation.Name, TestCaseValidation.OutputContains],
            result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("no decision 'pricing'", result.Errors[TestCaseValidation.ExpectedDecisions][0], StringComparison.Ordinal);
        Assert.Contains("lead-routing", result.Errors[TestCaseValidation.ExpectedDecisions][0], StringComparison.Ordinal);
        Assert.Contains("'launch_rockets'", result.Errors[TestCaseValidation.MustCall][0], StringComparison.Ordinal);
        Assert.Contains("both", result.Errors[TestCaseValidation.MustNotCall][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCase_RefusesACaseThatExpectsNothing_ATakenName_BadJson_AndAnOversizedInput()
    {
        var set = await NewSetAsync();
        Assert.True((await Sets.AddCaseAsync(set.Id, Case("Five employees"), Owner)).Succeeded);

        var nothing = await Sets.AddCaseAsync(set.Id, new TestCaseEdit { Name = "Nothing", InputJson = "{\"a\":1}" }, Owner);
        var taken = await Sets.AddCaseAsync(set.Id, Case(" Five employees "), Owner);
        var notJson = await Sets.AddCaseAsync(set.Id, Case("Broken", "{\"name\": "), Owner);
        var huge = await Sets.AddCaseAsync(set.Id, Case("Huge", new JsonObject { ["notes"] = new string('x', 300_000) }.ToJsonString()), Owner);

        Assert.Contains("say what a correct run does", Assert.Single(nothing.Errors[TestCaseValidation.Expectations]), StringComparison.Ordinal);
        Assert.Contains("already has a case called 'Five employees'", Assert.Single(taken.Errors[TestCaseValidation.Name]), StringComparison.Ordinal);
        Assert.StartsWith("The input is not valid JSON", Assert.Single(notJson.Errors[TestCaseValidation.Input]), StringComparison.Ordinal);
        Assert.Contains("larger than a run accepts", Assert.Single(huge.Errors[TestCaseValidation.Input]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cases_AreAddedUpdatedListedByKindAndDeleted_EachAudited()
    {
        var set = await NewSetAsync();
        var added = (await Sets.AddCaseAsync(set.Id, Case("First"), Owner)).Case!;
        var edge = Case("Second");
        edge.Kind = TestCaseKind.Edge;
        edge.MustCall = ["escalate", "crm_find_company"];
        await Sets.AddCaseAsync(set.Id, edge, Owner);

        var update = TestCaseEdit.From(added);
        update.OutputContains = ["SMB sequence"];
        var updated = await Sets.UpdateCaseAsync(set.Id, added.Id, update, "admin@agentconsole.local");
        var edges = (await Sets.ListCasesAsync(set.Id, TestCaseKind.Edge))!;
        var all = (await Sets.ListCasesAsync(set.Id, null, offset: 1, limit: 1))!;
        var deleted = await Sets.DeleteCaseAsync(set.Id, added.Id, Owner);

        Assert.Equal(["SMB sequence"], updated.Case!.OutputContains);
        Assert.Equal("Second", Assert.Single(edges.Items).Name);
        Assert.Equal((2, "Second"), (all.Total, Assert.Single(all.Items).Name));
        Assert.True(deleted.Succeeded);
        Assert.Null(await Sets.FindCaseAsync(set.Id, added.Id));
        var actions = (await AuditedAsync(_host, DemoWorkspace.LeadRouterKey, set.Id.ToString())).Where(a => a.StartsWith("test-case.", StringComparison.Ordinal));
        Assert.Equal(["test-case.added by " + Owner, "test-case.added by " + Owner, "test-case.updated by admin@agentconsole.local", "test-case.deleted by " + Owner], actions);
    }

    /// <summary>The agent's configuration audit entries in order, sealed into the chain or still in the outbox.</summary>
    private static async Task<List<string>> AuditedAsync(RunHost host, string agentKey, string? payloadContains = null) =>
        await host.QueryAsync(async db =>
        {
            // One read snapshot (on PostgreSQL a plain transaction reads each query at its own time): the sealer moves rows from the outbox to the chain meanwhile, and two separate reads
            // could miss a row that moved between them.
            await using var snapshot = await Engine.Persistence.ReadSnapshot.BeginAsync(db);
            var sealedEvents = await db.AuditEvents.Where(a => a.AgentKey == agentKey && a.Category == Engine.Audit.AuditCategory.Configuration)
                .Select(a => new { a.Timestamp, Order = a.Sequence, a.Action, a.Actor, a.Payload }).ToListAsync();
            var pending = await db.AuditOutbox.Where(a => a.AgentKey == agentKey && a.Category == Engine.Audit.AuditCategory.Configuration)
                .Select(a => new { a.Timestamp, Order = long.MaxValue / 2 + a.Id, a.Action, a.Actor, a.Payload }).ToListAsync();
            return sealedEvents.Concat(pending).Where(a => payloadContains is null || a.Payload.Contains(payloadContains, StringComparison.Ordinal))
                .OrderBy(a => a.Order).Select(a => a.Action + " by " + a.Actor).ToList();
        });

    [Fact]
    public async Task AddCase_RefusesTheCaseBeyondTheSetsLimit()
    {
        var set = await NewSetAsync();
        var lines = Enumerable.Range(1, 60).Select(i => (i, Case($"Case {i}"))).ToList();
        Assert.True((await Sets.ImportAsync(set.Id, lines, Owner)).Succeeded);

        var full = await Sets.AddCaseAsync(set.Id, Case("One too many"), Owner);
        var tooMany = await Sets.ImportAsync(set.Id, [(1, Case("Another"))], Owner);

        Assert.Contains("at most 60 cases", Assert.Single(full.Errors[TestCaseValidation.Name]), StringComparison.Ordinal);
        Assert.Contains("at most 60", Assert.Single(tooMany.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultSet_CannotBeDeletedWhileOthersExist_UntilAnotherIsMadeDefault()
    {
        var demo = (await Sets.DefaultForAsync(DemoWorkspace.LeadRouterKey))!;
        var other = await NewSetAsync();

        var refused = await Sets.DeleteAsync(demo.Id, Owner);
        var made = await Sets.MakeDefaultAsync(other.Id, Owner);
        var deleted = await Sets.DeleteAsync(demo.Id, Owner);

        Assert.Equal(TestSetChangeOutcome.Conflict, refused.Outcome);
        Assert.Contains("make another set the default", refused.Message, StringComparison.Ordinal);
        Assert.True(made.Succeeded);
        Assert.True(deleted.Succeeded);
        Assert.Equal(other.Id, (await Sets.DefaultForAsync(DemoWorkspace.LeadRouterKey))!.Id);
        Assert.Equal(0, await _host.QueryAsync(db => db.TestCases.CountAsync(c => c.TestSetId == demo.Id)));
    }

    [Theory]
    [InlineData(TestCaseFileFormat.Csv)]
    [InlineData(TestCaseFileFormat.JsonLines)]
    public async Task ExportThenImport_GivesBackExactlyTheSameCases(TestCaseFileFormat format)
    {
        var source = await NewSetAsync();
        var tricky = new TestCaseEdit
        {
            Name = "Quotes \"here\", commas, and\na line break",
            Kind = TestCaseKind.Adversarial,
            InputJson = "{\"name\":\"Zoë, \\\"the\\\" boss\",\"email\":\"z@x.example\",\"company\":\"A;B\",\"employees\":7,\"message\":\"line1\\nline2\"}",
            ExpectedDecisionsJson = "{\"lead-routing\":\"SMB sequence\"}",
            MustCall = ["crm_find_company", "email_send"],
            MustNotCall = ["escalate"],
            MustEscalate = null,
            ExpectRejected = false,
            OutputContains = ["SMB; sequence", "[bracketed]", "Zoë"],
            Notes = "  leading and trailing kept out; \"quoted\" notes, with commas",
        };
        var plain = Case("Plain");
        plain.Kind = TestCaseKind.Historical;
        plain.MustEscalate = true;
        plain.SourceRunId = null;
        var rejected = new TestCaseEdit { Name = "Refused", Kind = TestCaseKind.Edge, InputJson = "{}", ExpectRejected = true };
        var imported = await Sets.ImportAsync(source.Id, [(1, tricky), (2, plain), (3, rejected)], Owner);
        Assert.True(imported.Succeeded, imported.Message);

        var file = (await Sets.ExportAsync(source.Id, format))!.Value.Content;
        var target = await NewSetAsync();
        var result = await Sets.ImportAsync(target.Id, file, format, Owner);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal((3, 0), (result.Added, result.Updated));
        var before = (await Sets.LoadAsync(source.Id))!.Cases.Select(Comparable).ToList();
        var after = (await Sets.LoadAsync(target.Id))!.Cases.Select(Comparable).ToList();
        Assert.Equal(before, after);
        Assert.Equal(file, (await Sets.ExportAsync(target.Id, format))!.Value.Content);
    }

    private static string Comparable(TestCase c) => System.Text.Json.JsonSerializer.Serialize(new
    {
        c.Name, c.Kind, c.InputJson, c.ExpectedDecisionsJson, c.MustCall, c.MustNotCall, c.MustEscalate, c.ExpectRejected, c.OutputContains, c.Notes, c.Sequence,
    });

    [Fact]
    public async Task Import_IsAllOrNothing_WithLineNumberedErrors()
    {
        var set = await NewSetAsync();
        const string csv = "name,input,mustEscalate,kind\r\n"
            + "Good one,\"{\"\"employees\"\": 5}\",false,Edge\r\n"
            + "No input,,false,\r\n"
            + "\"Multi\nline name\",\"{\"\"employees\"\": 5}\",maybe,\r\n"
            + "Good one,\"{\"\"employees\"\": 6}\",true,Oddball\r\n";

        var result = await Sets.ImportAsync(set.Id, csv, TestCaseFileFormat.Csv, Owner);

        Assert.Equal(TestSetChangeOutcome.Invalid, result.Outcome);
        Assert.Equal([3, 4, 6], result.Errors.Select(e => e.Line));
        Assert.Contains("Give the input", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("mustEscalate 'maybe'", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("kind 'Oddball'", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Equal(0, (await Sets.FindAsync(set.Id))!.Cases);
    }

    [Fact]
    public async Task Import_UpdatesCasesByName_AndReportsAddedAndUpdated()
    {
        var set = await NewSetAsync();
        await Sets.AddCaseAsync(set.Id, Case("Existing"), Owner);
        const string jsonl = "{\"name\":\"Existing\",\"input\":{\"employees\":600},\"mustEscalate\":true}\n\n"
            + "{\"name\":\"New\",\"kind\":\"adversarial\",\"input\":{\"employees\":3},\"mustCall\":[\"crm_find_company\"]}\n";

        var result = await Sets.ImportAsync(set.Id, jsonl, TestCaseFileFormat.JsonLines, Owner);
        var bad = await Sets.ImportAsync(set.Id, "{\"name\":\"X\",\"input\":{},\"mustEscalate\":true,\"colour\":\"red\"}\nnot json\n", TestCaseFileFormat.JsonLines, Owner);

        Assert.Equal((1, 1), (result.Added, result.Updated));
        Assert.Equal("Imported 2 cases: added 1, updated 1.", result.Message);
        var existing = (await Sets.ListCasesAsync(set.Id))!.Items.Single(c => c.Name == "Existing");
        Assert.Equal(("{\"employees\":600}", true, 1), (existing.InputJson, existing.MustEscalate, existing.Sequence));
        Assert.Equal([1, 2], bad.Errors.Select(e => e.Line));
        Assert.Contains("unknown field 'colour'", bad.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DraftFromRun_TakesTheRunsInputDecisionsAndTools_ForARoutineRun()
    {
        var runId = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, DemoWorkspace.RoutineLeads[0].ToJsonString());
        await _host.ExecuteAsync(runId);

        var draft = await Sets.DraftFromRunAsync(runId);

        var edit = draft.Case!;
        Assert.Equal((TestCaseKind.Historical, runId, false), (edit.Kind, edit.SourceRunId, edit.MustEscalate));
        Assert.True(JsonNode.DeepEquals(DemoWorkspace.RoutineLeads[0], JsonNode.Parse(edit.InputJson!)));
        Assert.Equal("{\"lead-routing\":\"Mid-market sequence\"}", edit.ExpectedDecisionsJson);
        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status", "email_send", "calendar_create_event", "chat_notify"], edit.MustCall);
        Assert.StartsWith("Acme GmbH", edit.Name, StringComparison.Ordinal);
        var set = await NewSetAsync();
        Assert.True((await Sets.AddCaseAsync(set.Id, edit, Owner)).Succeeded);
    }

    [Fact]
    public async Task DraftFromRun_ExpectsTheReviewersChoice_AfterAnEscalationWasApprovedAsAnotherRoute()
    {
        var runId = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, DemoWorkspace.SampleLeads[0].ToJsonString());
        var detail = await _host.ExecuteAsync(runId);
        var escalation = Assert.Single(detail.Escalations);
        var resolved = await _host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve, "Start them mid-market", Value: "Mid-market sequence"),
            new EscalationReviewer("reviewer@agentconsole.local", [Roles.Reviewer], "reviewer@agentconsole.local"));
        Assert.Equal(RunCommandOutcome.Done, resolved.Outcome);

        var draft = await Sets.DraftFromRunAsync(runId);

        Assert.Equal("{\"lead-routing\":\"Mid-market sequence\"}", draft.Case!.ExpectedDecisionsJson);
        Assert.True(draft.Case.MustEscalate);
        Assert.Contains("reviewer@agentconsole.local chose \"Mid-market sequence\"", draft.Case.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DraftFromRun_RefusesAPurgedRun_AndSaysWhy()
    {
        var runId = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, DemoWorkspace.RoutineLeads[1].ToJsonString());
        await _host.QueryAsync(db => db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.RawDataPurgedAt, DateTimeOffset.UtcNow)));

        var draft = await Sets.DraftFromRunAsync(runId);
        var missing = await Sets.DraftFromRunAsync(Guid.NewGuid());

        Assert.Equal(TestSetChangeOutcome.Conflict, draft.Outcome);
        Assert.Null(draft.Case);
        Assert.Contains("deleted by run-data retention", draft.Message, StringComparison.Ordinal);
        Assert.Equal(TestSetChangeOutcome.NotFound, missing.Outcome);
    }
}
