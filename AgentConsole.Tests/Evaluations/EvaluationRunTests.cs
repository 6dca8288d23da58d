using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Jobs;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// Evaluations over the real engine (SQLite files, the Offline model, sandbox connectors) without a Hangfire server:
/// each test runs the queued case jobs itself, in order, so it decides when a case executes.
/// </summary>
public sealed class EvaluationRunTests : IAsyncLifetime
{
    private readonly string _folder = RunHost.NewFolder();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private RunHost _host = null!;

    private AgentEvaluations Evaluations => _host.Services.GetRequiredService<AgentEvaluations>();

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folder, _time);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    private async Task<EvaluationDetail> StartAndRunAsync(EvaluationRequest request, string actor = "owner@example.com")
    {
        var started = await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey, request, actor);
        Assert.True(started.Outcome == EvaluationStartOutcome.Started, started.Message);
        await DrainAsync();
        return (await Evaluations.GetAsync(started.EvaluationId!.Value))!;
    }

    /// <summary>Runs every pending case job (what the evaluations queue's workers do), twice each: a second execution changes nothing.</summary>
    private async Task DrainAsync()
    {
        var runner = _host.Services.GetRequiredService<EvaluationCaseRunner>();
        var pending = await _host.QueryAsync(db => db.EvaluationCases.Where(c => c.Verdict == CaseVerdict.Pending).OrderBy(c => c.Sequence).Select(c => c.Id).ToListAsync());
        foreach (var id in pending)
        {
            await runner.RunAsync(id);
            await runner.RunAsync(id);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Evaluation_PassesEveryCase_OnThePublishedConfiguration()
    {
        var set = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, EvaluationTestSets.LeadRouterCases());

        var detail = await StartAndRunAsync(new EvaluationRequest(TestSetId: set));

        var evaluation = detail.Evaluation;
        Assert.Equal(EvaluationStatus.Completed, evaluation.Status);
        Assert.All(detail.Cases, c => Assert.True(c.Verdict == CaseVerdict.Passed, $"{c.Name}: {string.Join("; ", c.Reasons)}"));
        Assert.Equal((6, 6, 6, 0, 0), (evaluation.Total, evaluation.Completed, evaluation.Passed, evaluation.Failed, evaluation.Errors));
        Assert.Equal(1.0, evaluation.PassRate);
        Assert.Equal(1, evaluation.Escalated);
        Assert.Equal(1.0 / 6, detail.EscalationRate);
        Assert.True(evaluation.CostUsd > 0);
        Assert.Equal(detail.Cases.Sum(c => c.CostUsd), evaluation.CostUsd);
        Assert.Equal("""{"lead-routing":1}""", evaluation.DecisionVersionsJson);
        Assert.Null(evaluation.BaselineEvaluationId);
        Assert.True(detail.Comparison.IsPublishedConfiguration);
        // The refused input started no run; every other case has its evaluation run, one per case even though each job ran twice.
        var runs = await _host.QueryAsync(db => db.Runs.Where(r => r.EvaluationId == evaluation.Id).ToListAsync());
        Assert.Equal(5, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunKind.Evaluation, r.Kind));
        Assert.Null(detail.Cases.Single(c => c.Name.Contains("without an email", StringComparison.Ordinal)).RunId);
        // An evaluation's escalation is only "would escalate": nothing lands in the review queue.
        Assert.Equal(0, await _host.QueryAsync(db => db.Escalations.CountAsync(e => runs.Select(r => r.Id).Contains(e.RunId))));
    }

    [Fact]
    public async Task DemoDefaultTestSet_ReachesTheThreshold_OnThePublishedConfiguration()
    {
        // The demo seeds the lead router's default test set; an installation without one gets this test's cases as its default.
        if (!await _host.QueryAsync(db => db.TestSets.AnyAsync(s => s.AgentKey == DemoWorkspace.LeadRouterKey && s.IsDefault)))
        {
            await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, EvaluationTestSets.LeadRouterCases(), "Demo cases", isDefault: true);
        }

        var detail = await StartAndRunAsync(new EvaluationRequest());

        Assert.Equal(EvaluationStatus.Completed, detail.Evaluation.Status);
        Assert.True(detail.Evaluation.PassRate >= 0.95,
            $"{detail.Evaluation.Passed} of {detail.Evaluation.Total} passed: "
            + string.Join(" | ", detail.Cases.Where(c => c.Verdict != CaseVerdict.Passed).Select(c => $"{c.Name}: {string.Join("; ", c.Reasons)}")));
        Assert.True(detail.MeetsThreshold);
    }

    [Fact]
    public async Task Evaluation_CatchesARegressionOnPurpose_AndTheGateRefusesThatDraftUntilAnAdminOverrides()
    {
        var set = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, EvaluationTestSets.LeadRouterCases());
        var baseline = await StartAndRunAsync(new EvaluationRequest(TestSetId: set));
        var draft = await EvaluationTestSets.SaveRegressedRoutingDraftAsync(_host.Services);

        // No decisions named: the draft of lead-routing is evaluated by default.
        var detail = await StartAndRunAsync(new EvaluationRequest(TestSetId: set));

        Assert.Equal($$"""{"lead-routing":{{draft}}}""", detail.Evaluation.DecisionVersionsJson);
        Assert.Equal(baseline.Evaluation.Id, detail.Evaluation.BaselineEvaluationId);
        Assert.Equal(0.5, detail.Evaluation.PassRate);
        var comparison = detail.Comparison;
        Assert.Equal(baseline.Evaluation.Id, comparison.BaselineEvaluationId);
        Assert.Equal(["Mid-market software lead", "Mid-market at 120 employees", "Mid-market at the 500 boundary"], comparison.Regressions.Select(r => r.Name));
        Assert.Empty(comparison.Fixes);
        var reasons = comparison.Regressions[0].Reasons;
        Assert.Contains("expected lead-routing \"Mid-market sequence\", got \"Human review\"", reasons);
        Assert.Contains(reasons, r => r.StartsWith("escalated to a person, which it must not", StringComparison.Ordinal));

        var workbench = _host.Services.GetRequiredService<DecisionWorkbench>();
        var (refused, _) = await workbench.PublishAsync(DemoWorkspace.LeadRoutingKey, "owner@example.com");
        Assert.Equal(DecisionChangeOutcome.Conflict, refused.Outcome);
        Assert.Equal(detail.Evaluation.Id, refused.Gate!.EvaluationId);
        Assert.Equal(0.5, refused.Gate.PassRate);
        Assert.Contains("below the agent's threshold of 95", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _host.Services.GetRequiredService<DecisionCatalog>().LoadAsync(DemoWorkspace.LeadRoutingKey, DecisionCatalog.Published))!.Version.Number);

        var (overridden, _) = await workbench.PublishAsync(DemoWorkspace.LeadRoutingKey, "admin@example.com", "Sales asked for every lead to be reviewed this week", CancellationToken.None);
        Assert.True(overridden.Succeeded, overridden.Message);
        await _host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var audit = await _host.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "decision.published").OrderBy(e => e.Sequence).ToListAsync());
        var entry = audit[^1];
        Assert.Equal("admin@example.com", entry.Actor);
        Assert.Contains("Sales asked for every lead to be reviewed this week", entry.Payload, StringComparison.Ordinal);
        Assert.Contains("gate overridden", entry.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_PassesADraft_OnceItsEvaluationReachesTheThreshold()
    {
        var set = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, EvaluationTestSets.LeadRouterCases());
        var catalog = _host.Services.GetRequiredService<DecisionCatalog>();
        var published = await catalog.LoadAsync(DemoWorkspace.LeadRoutingKey, DecisionCatalog.Published);
        var saved = await catalog.SaveDraftAsync(DemoWorkspace.LeadRoutingKey, published!.Model, null, "owner@example.com", "same rules, new version");
        var workbench = _host.Services.GetRequiredService<DecisionWorkbench>();

        var (before, _) = await workbench.PublishAsync(DemoWorkspace.LeadRoutingKey, "owner@example.com");
        Assert.Null(before.Gate!.EvaluationId);
        Assert.Contains("No completed evaluation", before.Message, StringComparison.Ordinal);

        var detail = await StartAndRunAsync(new EvaluationRequest(TestSetId: set));
        Assert.Equal(1.0, detail.Evaluation.PassRate);
        // There was no evaluation of the published configuration, so one was started with the draft's and compared.
        Assert.NotNull(detail.Evaluation.BaselineEvaluationId);
        Assert.Empty(detail.Comparison.Regressions);
        var (after, _) = await workbench.PublishAsync(DemoWorkspace.LeadRoutingKey, "owner@example.com");

        Assert.True(after.Succeeded, after.Message);
        Assert.Equal(saved.Decision!.Version.Number, after.Decision!.Version.Number);
    }

    [Fact]
    public async Task Start_QueuesOneJobPerCase_OnTheEvaluationsQueue()
    {
        var set = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, EvaluationTestSets.LeadRouterCases());
        var queue = _host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var before = (queue.EnqueuedCount(JobQueues.Evaluations), queue.EnqueuedCount(JobQueues.Default));

        var started = await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey, new EvaluationRequest(TestSetId: set), "owner@example.com");

        Assert.Equal(EvaluationStartOutcome.Started, started.Outcome);
        Assert.Equal(before.Item1 + 6, queue.EnqueuedCount(JobQueues.Evaluations));
        Assert.Equal(before.Item2, queue.EnqueuedCount(JobQueues.Default));
        var jobs = queue.EnqueuedJobs(JobQueues.Evaluations, 0, 100);
        Assert.All(jobs, j => Assert.Equal(typeof(EvaluationCaseJob), j.Value.Job.Type));
    }

    [Fact]
    public async Task EvaluationRuns_AreLeftOutOfRunMetrics()
    {
        var set = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, EvaluationTestSets.LeadRouterCases());
        var metrics = _host.Services.GetRequiredService<RunMetrics>();
        var window = new MetricsQuery(_time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddHours(1));
        var before = await metrics.SummarizeAsync(window);

        var detail = await StartAndRunAsync(new EvaluationRequest(TestSetId: set));

        Assert.Equal(5, await _host.QueryAsync(db => db.Runs.CountAsync(r => r.EvaluationId == detail.Evaluation.Id)));
        var after = await metrics.SummarizeAsync(window);
        Assert.Equal(before.Runs, after.Runs);
        Assert.Equal(before.CostUsd, after.CostUsd);
        Assert.Equal(before.Escalated, after.Escalated);
    }

    [Fact]
    public async Task Start_RefusesClearly_WhatCannotBeEvaluated()
    {
        var empty = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, []);
        var other = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, [EvaluationTestSets.MidMarket("one", 20)]);

        Assert.Equal(EvaluationStartOutcome.NotFound, (await Evaluations.StartAsync("nobody", new EvaluationRequest(TestSetId: other), "o")).Outcome);
        Assert.Equal(EvaluationStartOutcome.NotFound, (await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey, new EvaluationRequest(TestSetId: Guid.NewGuid()), "o")).Outcome);
        Assert.Equal(EvaluationStartOutcome.NotFound, (await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey, new EvaluationRequest(PromptVersionNumber: 42, TestSetId: other), "o")).Outcome);
        var emptySet = await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey, new EvaluationRequest(TestSetId: empty), "o");
        Assert.Equal(EvaluationStartOutcome.Invalid, emptySet.Outcome);
        Assert.Contains("has no cases", emptySet.Message, StringComparison.Ordinal);
        var unbound = await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey,
            new EvaluationRequest(TestSetId: other, Decisions: new Dictionary<string, int> { ["not-a-decision"] = 1 }), "o");
        Assert.Equal(EvaluationStartOutcome.Invalid, unbound.Outcome);
        Assert.Equal(EvaluationStartOutcome.NotFound, (await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey,
            new EvaluationRequest(TestSetId: other, Decisions: new Dictionary<string, int> { [DemoWorkspace.LeadRoutingKey] = 9 }), "o")).Outcome);
        Assert.Equal(0, await _host.QueryAsync(db => db.Evaluations.CountAsync()));
    }

    [Fact]
    public async Task Start_IsRefused_WhenTheAgentsModelProviderIsNotConfigured()
    {
        var folder = RunHost.NewFolder();
        try
        {
            // An OpenAI provider without a key, as a fresh install from appsettings.example.json has.
            await using var host = await RunHost.StartAsync(folder, null,
                ("AgentConsole:Models:Providers:openai:Kind", "OpenAI"), ("AgentConsole:Models:Providers:openai:Endpoint", "https://api.openai.com/v1"),
                ("AgentConsole:Models:Providers:openai:Model", "gpt-4o-mini"));
            await host.UpdateDemoAgentAsync(a => a.Model = "openai");
            var set = await EvaluationTestSets.CreateAsync(host.Services, DemoWorkspace.LeadRouterKey, [EvaluationTestSets.MidMarket("one", 20)]);

            var unconfigured = await host.Services.GetRequiredService<AgentEvaluations>().StartAsync(DemoWorkspace.LeadRouterKey, new EvaluationRequest(TestSetId: set), "o");

            Assert.Equal(EvaluationStartOutcome.Conflict, unconfigured.Outcome);
            Assert.Contains("'openai' is not configured", unconfigured.Message, StringComparison.Ordinal);
            Assert.Equal(0, await host.QueryAsync(db => db.Evaluations.CountAsync()));
        }
        finally
        {
            RunHost.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Case_IsAnError_NotAStuckEvaluation_WhenItsTestCaseDisappears()
    {
        var set = await EvaluationTestSets.CreateAsync(_host.Services, DemoWorkspace.LeadRouterKey, [EvaluationTestSets.MidMarket("kept", 20), EvaluationTestSets.MidMarket("deleted", 30)]);
        var started = await Evaluations.StartAsync(DemoWorkspace.LeadRouterKey, new EvaluationRequest(TestSetId: set), "owner@example.com");
        await _host.QueryAsync(db => db.TestCases.Where(c => c.Name == "deleted" && c.TestSetId == set).ExecuteDeleteAsync());

        await DrainAsync();

        var detail = (await Evaluations.GetAsync(started.EvaluationId!.Value))!;
        Assert.Equal(EvaluationStatus.Completed, detail.Evaluation.Status);
        var error = detail.Cases.Single(c => c.Name == "deleted");
        Assert.Equal(CaseVerdict.Error, error.Verdict);
        Assert.Contains("deleted", Assert.Single(error.Reasons), StringComparison.Ordinal);
        Assert.Equal((1, 1), (detail.Evaluation.Passed, detail.Evaluation.Errors));
    }
}
