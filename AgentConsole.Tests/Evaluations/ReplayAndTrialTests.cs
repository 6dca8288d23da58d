using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Prompts;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Models;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// What-if replay, "Try it" and the configuration a run records, against a scripted OpenAI-compatible model and a connector
/// that fails the test when it is reached while armed.
/// </summary>
public sealed class ReplayAndTrialTests : IAsyncLifetime
{
    /// <summary>A prompt containing this makes the scripted model look up a different company than the historical run did.</summary>
    private const string AskAboutOther = "ASK-ABOUT-OTHER";

    /// <summary>A prompt containing this makes the scripted model call the built-in evaluate_decision tool.</summary>
    private const string EvaluateDecision = "CALL-EVALUATE-DECISION";

    private readonly string _folder = RunHost.NewFolder();
    private readonly TrapConnector _trap = new();
    private FakeModelEndpoint _model = null!;
    private RunHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeModelEndpoint.StartAsync(request =>
        {
            if (request.LastMessage?.Role == "tool")
            {
                return FakeModelReply.Text("Looked the company up; the lead is routed.");
            }

            var system = request.Messages.Count > 0 ? request.Messages[0].Content ?? "" : "";
            if (system.Contains(EvaluateDecision, StringComparison.Ordinal))
            {
                return FakeModelReply.ToolCall(BuiltInTools.EvaluateDecision, new { decision = DemoWorkspace.LeadRoutingKey, inputs = new { employees = 42, industry = "Software" } });
            }

            return FakeModelReply.ToolCall(TrapConnector.Tool, new { company = system.Contains(AskAboutOther, StringComparison.Ordinal) ? "Other Corp" : "Acme GmbH" });
        });
        _host = await FakeProviderRuns.StartHostAsync(_model, _folder,
            agent: a => a.Tools = [new ToolGrant { Tool = TrapConnector.Tool, Scope = ToolScope.Read }],
            services: s => s.AddSingleton<IConnector>(_trap));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _model.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    [Fact]
    public async Task Run_RecordsThePublishedPromptAndDecisionVersions_AndSendsThePublishedPrompt()
    {
        var promptNumber = await AddPromptAsync(PromptVersionStatus.Published, "You route inbound leads for the sales team. PUBLISHED-WORDING");

        var detail = await _host.ExecuteAsync(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, FakeProviderRuns.MidMarketLead));

        Assert.Equal(RunStatus.Succeeded, detail.Run.Status);
        Assert.Equal(RunKind.Production, detail.Run.Kind);
        Assert.Equal(promptNumber, detail.Run.PromptVersionNumber);
        Assert.NotNull(detail.Run.PromptVersionId);
        Assert.NotNull(detail.Run.AgentRevision);
        Assert.Equal("""{"lead-routing":1}""", detail.Run.DecisionVersionsJson);
        Assert.Contains("PUBLISHED-WORDING", _model.ParsedRequests[0].Messages[0].Content);
    }

    [Fact]
    public async Task Replay_AnswersFromTheHistoricalRecords_AndNeverReachesTheConnector()
    {
        var source = await _host.ExecuteAsync(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, FakeProviderRuns.MidMarketLead));
        Assert.Equal(RunStatus.Succeeded, source.Run.Status);
        Assert.Equal(1, _trap.Calls);
        _trap.Armed = true;

        var started = await Replays.StartAsync(DemoWorkspace.LeadRouterKey, new ReplayRequest(RunIds: [source.Run.Id]), "owner@agentconsole.local");
        var evaluation = await RunReplayAsync(started);

        Assert.Empty(_trap.Violations);
        Assert.Equal(1, _trap.Calls);
        Assert.Equal(EvaluationStatus.Completed, evaluation.Status);
        var @case = Assert.Single(await CasesAsync(evaluation.Id));
        Assert.Equal(CaseVerdict.Passed, @case.Verdict);
        var replay = await _host.QueryAsync(db => db.Runs.SingleAsync(r => r.Id == @case.RunId));
        Assert.Equal(RunKind.Replay, replay.Kind);
        Assert.Equal(source.Run.Id, replay.ReplayOf);
        Assert.Equal(RunStatus.Succeeded, replay.Status);
        var replayed = await _host.QueryAsync(db => db.RunSteps.SingleAsync(s => s.RunId == replay.Id && s.Kind == RunStepKind.ToolCall));
        var original = Assert.Single(source.Steps, s => s.Kind == RunStepKind.ToolCall);
        Assert.Equal(original.JournalJson, replayed.JournalJson);
        Assert.Contains("\"changed\":false", @case.DiffJson);
    }

    [Fact]
    public async Task Replay_FlagsACallWithNoRecording_AndReportsTheChangedToolCalls()
    {
        var source = await _host.ExecuteAsync(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, FakeProviderRuns.MidMarketLead));
        _trap.Armed = true;
        var promptNumber = await AddPromptAsync(PromptVersionStatus.Draft, $"You route inbound leads. {AskAboutOther}");

        var evaluation = await RunReplayAsync(await Replays.StartAsync(DemoWorkspace.LeadRouterKey, new ReplayRequest(RunIds: [source.Run.Id]), "owner@agentconsole.local"));

        Assert.Empty(_trap.Violations);
        Assert.Equal(promptNumber, evaluation.PromptVersionNumber);
        var @case = Assert.Single(await CasesAsync(evaluation.Id));
        Assert.Equal(CaseVerdict.Failed, @case.Verdict);
        Assert.Contains("Tool calls changed", @case.ReasonsJson);
        Assert.Contains("No recording for: trap_lookup", @case.ReasonsJson);
        Assert.Contains("\"notRecorded\":[\"trap_lookup\"]", @case.DiffJson);
        Assert.Equal(1, evaluation.Failed);
    }

    [Fact]
    public async Task Replay_IsRefused_WhenNoHistoricalRunMatchesOrTheLimitIsOutOfRange()
    {
        var none = await Replays.StartAsync(DemoWorkspace.LeadRouterKey, new ReplayRequest(Status: RunStatus.Succeeded), "owner@agentconsole.local");
        var tooMany = await Replays.StartAsync(DemoWorkspace.LeadRouterKey, new ReplayRequest(Limit: 500), "owner@agentconsole.local");
        var unknown = await Replays.StartAsync("no-such-agent", new ReplayRequest(), "owner@agentconsole.local");

        Assert.Equal(EvaluationStartOutcome.Invalid, none.Outcome);
        Assert.Contains("No historical run", none.Message);
        Assert.Equal(EvaluationStartOutcome.Invalid, tooMany.Outcome);
        Assert.Equal(EvaluationStartOutcome.NotFound, unknown.Outcome);
        Assert.Equal(0, await _host.QueryAsync(db => db.Evaluations.CountAsync()));
    }

    [Fact]
    public async Task Trial_UsesTheDraft_ReachesConnectionsInSandboxOnly_AndStaysOutOfProductionFigures()
    {
        // The connection is live; a trial must still reach it in sandbox mode.
        Assert.Equal(1, await _host.QueryAsync(db => db.ToolConnections.Where(c => c.Key == "trap").ExecuteUpdateAsync(s => s.SetProperty(c => c.Mode, ConnectionMode.Live))));
        var promptNumber = await AddPromptAsync(PromptVersionStatus.Draft, "Draft wording for the trial. DRAFT-WORDING");

        var started = await Trials.StartAsync(DemoWorkspace.LeadRouterKey, System.Text.Json.Nodes.JsonNode.Parse(FakeProviderRuns.MidMarketLead)!.AsObject(), null, null, "owner@agentconsole.local");
        var detail = await _host.ExecuteAsync(started.RunId!.Value);

        Assert.Equal(RunStatus.Succeeded, detail.Run.Status);
        Assert.Equal(RunKind.Trial, detail.Run.Kind);
        Assert.Equal(promptNumber, detail.Run.PromptVersionNumber);
        Assert.Contains("DRAFT-WORDING", _model.ParsedRequests[0].Messages[0].Content);
        Assert.Equal([ConnectionMode.Sandbox], _trap.ModesSeen);
        var summary = await _host.Services.GetRequiredService<RunMetrics>().SummarizeAsync(new MetricsQuery(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), null));
        Assert.Equal(0, summary.Runs);
        Assert.Empty((await _host.Runs.ListAsync(new RunQuery())).Items);
        Assert.Single((await _host.Runs.ListAsync(new RunQuery(Kind: null))).Items);
    }

    [Fact]
    public async Task Trial_StopsWhereProductionWouldEscalate_WithoutQueueingAnEscalation()
    {
        var started = await Trials.StartAsync(DemoWorkspace.LeadRouterKey, System.Text.Json.Nodes.JsonNode.Parse(FakeProviderRuns.EnterpriseLead)!.AsObject(), null, null, "owner@agentconsole.local");
        var detail = await _host.ExecuteAsync(started.RunId!.Value);

        Assert.Equal(RunStatus.WaitingForHuman, detail.Run.Status);
        Assert.Equal(1, detail.Run.EscalationCount);
        Assert.Empty(detail.Escalations);
        Assert.Contains(detail.Steps, s => s.Kind == RunStepKind.Escalation && s.Title.StartsWith("Would escalate", StringComparison.Ordinal));
        Assert.Equal(0, await _host.QueryAsync(db => db.Escalations.CountAsync()));
        Assert.Equal(0, _model.CallCount);
    }

    [Fact]
    public async Task Trial_EvaluatesTheDecisionDraftItIsPinnedTo_WhenTheAgentCallsEvaluateDecision()
    {
        var catalog = _host.Services.GetRequiredService<Engine.DecisionTables.DecisionCatalog>();
        var published = (await catalog.LoadAsync(DemoWorkspace.LeadRoutingKey, Engine.DecisionTables.DecisionCatalog.Published))!;
        Assert.True((await catalog.SaveDraftAsync(DemoWorkspace.LeadRoutingKey, published.Model, null, "tests")).Succeeded);
        await AddPromptAsync(PromptVersionStatus.Draft, $"Check the route again. {EvaluateDecision}");

        var started = await Trials.StartAsync(DemoWorkspace.LeadRouterKey, System.Text.Json.Nodes.JsonNode.Parse(FakeProviderRuns.MidMarketLead)!.AsObject(), null, null, "owner@agentconsole.local");
        var detail = await _host.ExecuteAsync(started.RunId!.Value);

        Assert.Equal("""{"lead-routing":2}""", detail.Run.DecisionVersionsJson);
        var call = Assert.Single(detail.Steps, s => s.Kind == RunStepKind.ToolCall && s.ToolName == BuiltInTools.EvaluateDecision);
        Assert.False(call.IsError, call.Title);
        Assert.Equal("2", System.Text.Json.Nodes.JsonNode.Parse(call.JournalJson!)!["version"]!.GetValue<string>());
    }

    private Replays Replays => _host.Services.GetRequiredService<Replays>();

    private Trials Trials => _host.Services.GetRequiredService<Trials>();

    private async Task<Evaluation> RunReplayAsync(EvaluationStartResult started)
    {
        Assert.Equal(EvaluationStartOutcome.Started, started.Outcome);
        var job = _host.Services.GetRequiredService<ReplayCaseJob>();
        foreach (var @case in await CasesAsync(started.EvaluationId!.Value))
        {
            await job.Execute(@case.Id, CancellationToken.None);
            // A second execution of the same job records nothing twice.
            await job.Execute(@case.Id, CancellationToken.None);
        }

        var evaluation = await _host.QueryAsync(db => db.Evaluations.SingleAsync(e => e.Id == started.EvaluationId));
        Assert.Equal(evaluation.Total, evaluation.Completed);
        return evaluation;
    }

    private Task<List<EvaluationCase>> CasesAsync(Guid evaluationId) =>
        _host.QueryAsync(db => db.EvaluationCases.Where(c => c.EvaluationId == evaluationId).OrderBy(c => c.Sequence).ToListAsync());

    /// <summary>Adds the next prompt version of the demo agent (which ships a published v1); a published one retires the last.</summary>
    private Task<int> AddPromptAsync(PromptVersionStatus status, string role) =>
        _host.QueryAsync(async db =>
        {
            var versions = db.PromptVersions.Where(v => v.AgentKey == DemoWorkspace.LeadRouterKey);
            if (status == PromptVersionStatus.Published)
            {
                await versions.Where(v => v.Status == PromptVersionStatus.Published).ExecuteUpdateAsync(u => u.SetProperty(v => v.Status, PromptVersionStatus.Retired));
            }

            var number = (await versions.MaxAsync(v => (int?)v.Number) ?? 0) + 1;
            db.PromptVersions.Add(new PromptVersion
            {
                Id = Guid.NewGuid(),
                AgentKey = DemoWorkspace.LeadRouterKey,
                Number = number,
                Status = status,
                Sections = new PromptSections { Role = role, Prohibitions = "- promise prices" },
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
                CreatedBy = "tests",
                UpdatedBy = "tests",
            });
            await db.SaveChangesAsync();
            return number;
        });
}
