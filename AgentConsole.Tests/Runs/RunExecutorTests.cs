using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Runs;

/// <summary>The runtime driven by the Offline model over real SQLite files; each test executes its runs itself.</summary>
public sealed class RunExecutorTests : IAsyncLifetime
{
    private const string MidMarketLead = """{"name":"Dana Lee","email":"dana@acme.example","company":"Acme GmbH","employees":42,"industry":"Software"}""";
    private static readonly EscalationReviewer Reviewer = new("reviewer@agentconsole.local", [AgentConsole.Engine.Access.Roles.Reviewer]);

    private const string EnterpriseLead = """{"name":"Sam Park","email":"sam@bigbank.example","company":"Big Bank","employees":1200,"industry":"Banking"}""";
    private const string GapLead = """{"name":"Ten People","email":"ten@tiny.example","company":"Tiny","employees":10}""";

    private readonly string _folder = RunHost.NewFolder();
    private RunHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await RunHost.StartAsync(_folder);
        await CrmToolsOnlyAsync(_host);
    }

    /// <summary>
    /// These tests are about the executor (order, limits, approvals, active time), written against the demo's CRM
    /// path; the demo's messaging tools and their effects are covered by DemoToolsTests.
    /// </summary>
    private static Task CrmToolsOnlyAsync(RunHost host) =>
        host.UpdateDemoAgentAsync(a => a.Tools = [.. a.Tools.Where(t => t.Tool.StartsWith("crm_", StringComparison.Ordinal))]);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    [Fact]
    public async Task Run_CallsDemoToolsInOrderAndSucceeds_WithOfflineModel()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await _host.ExecuteAsync(id);

        Assert.Equal(RunStatus.Succeeded, detail.Run.Status);
        var tools = detail.Steps.Where(s => s.Kind == RunStepKind.ToolCall).ToList();
        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], tools.Select(t => t.ToolName));
        Assert.All(tools, t => Assert.False(t.IsError, t.Title));
        var enrollArguments = JsonNode.Parse(tools[1].DetailJson!)!["arguments"]!;
        Assert.Equal("Mid-market sequence", enrollArguments["route"]!.GetValue<string>());
        // The timeline holds the redacted form only.
        Assert.Equal("<EMAIL_1>", enrollArguments["email"]!.GetValue<string>());
        Assert.Contains("dana@acme.example", tools[1].JournalJson);

        var decision = Assert.Single(detail.Steps, s => s.Kind == RunStepKind.Decision);
        Assert.Contains("lead_route_mid", decision.DetailJson);
        Assert.Equal(4, detail.Run.ModelCalls);
        Assert.Equal(3, detail.Run.ToolCalls);
        Assert.True(detail.Run.InputTokens > 0 && detail.Run.OutputTokens > 0);
        Assert.True(detail.Run.CostUsd > 0);
        Assert.True(detail.Run.UsageEstimated);
        Assert.Equal(detail.Steps.Where(s => s.Kind == RunStepKind.ModelCall).Sum(s => s.CostUsd), detail.Run.CostUsd);
        Assert.False(string.IsNullOrWhiteSpace(detail.Run.Output));
        Assert.Contains("Mid-market sequence", detail.Run.Output);
    }

    [Fact]
    public async Task Run_AuditsTriggerDecisionModelAndToolCalls_InRedactedForm()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        await _host.ExecuteAsync(id);
        await _host.Services.GetRequiredService<AuditChain>().SealPendingAsync();

        var events = await _host.QueryAsync(db => db.AuditEvents.Where(e => e.RunId == id.ToString()).ToListAsync());

        Assert.Contains(events, e => e.Category == AuditCategory.Trigger && e.Action == "run.queued");
        Assert.Contains(events, e => e.Category == AuditCategory.Decision && e.Action == "decision.evaluated");
        Assert.Equal(4, events.Count(e => e.Category == AuditCategory.Model));
        Assert.Equal(3, events.Count(e => e.Category == AuditCategory.Tool));
        Assert.Contains(events, e => e.Category == AuditCategory.Trigger && e.Action == "run.succeeded");
        Assert.DoesNotContain(events, e => e.Payload.Contains("dana@acme.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_EscalatesWithoutCallingTheModel_WhenDecisionRoutesToHumanReview()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);

        var detail = await _host.ExecuteAsync(id);

        Assert.Equal(RunStatus.WaitingForHuman, detail.Run.Status);
        Assert.Equal(0, detail.Run.ModelCalls);
        var escalation = Assert.Single(detail.Escalations);
        Assert.Equal(EscalationKind.Route, escalation.Kind);
        Assert.Contains("Human review", escalation.Reason);
        Assert.Contains("Lead routing", escalation.WhatItDid);
        Assert.Contains("Big Bank", escalation.WhatItSaw);
    }

    [Fact]
    public async Task ApprovingARouteEscalation_LetsTheReviewersChosenSequenceDriveTheRun()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        var waiting = await _host.ExecuteAsync(id);

        var resolved = await _host.Escalations.ResolveAsync(waiting.Escalations[0].Id,
            new EscalationDecision(EscalationAction.Approve, "Checked with sales.", Value: "Mid-market sequence"), Reviewer);
        var finished = await _host.ExecuteAsync(id);

        Assert.Equal(RunCommandOutcome.Done, resolved.Outcome);
        Assert.Equal(RunStatus.Succeeded, finished.Run.Status);
        var enroll = Assert.Single(finished.Steps, s => s.ToolName == "crm_update_lead");
        Assert.Equal("Mid-market sequence", JsonNode.Parse(enroll.DetailJson!)!["arguments"]!["route"]!.GetValue<string>());
        Assert.Contains(finished.Steps, s => s.Kind == RunStepKind.Human && s.Title.Contains("Mid-market sequence", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Escalates_WhenTheDecisionTableHasAGapForTheInput()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, GapLead);

        var detail = await _host.ExecuteAsync(id);

        Assert.Equal(RunStatus.WaitingForHuman, detail.Run.Status);
        Assert.Equal(EscalationKind.Decision, Assert.Single(detail.Escalations).Kind);
        Assert.Contains("matched no rule", detail.Run.Reason);
    }

    [Fact]
    public async Task Execute_DoesNothing_WhenRunAgainAfterItFinished()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var first = await _host.ExecuteAsync(id);

        var second = await _host.ExecuteAsync(id);

        Assert.Equal(RunStatus.Succeeded, second.Run.Status);
        Assert.Equal(first.Steps.Count, second.Steps.Count);
        Assert.Equal(1, second.Run.Executions);
    }

    [Fact]
    public async Task Start_RejectsInput_ThatFailsTheAgentsInputFields()
    {
        var missing = await _host.Runs.StartAsync(DemoWorkspace.LeadRouterKey, JsonNode.Parse("""{"name":"A","email":"a@b.example","company":"C"}""")!.AsObject(), "tests");
        var wrongType = await _host.Runs.StartAsync(DemoWorkspace.LeadRouterKey, JsonNode.Parse("""{"name":"A","email":"a@b.example","company":"C","employees":"many"}""")!.AsObject(), "tests");

        Assert.Equal(RunCommandOutcome.Invalid, missing.Outcome);
        Assert.Contains("'employees' is required.", missing.Errors!["input.employees"]);
        Assert.Equal(RunCommandOutcome.Invalid, wrongType.Outcome);
        Assert.Contains("must be a number", wrongType.Errors!["input.employees"][0]);
        Assert.Equal(0, await _host.QueryAsync(db => db.Runs.CountAsync()));
    }

    [Fact]
    public async Task Start_Refuses_UnknownAndPausedAgents()
    {
        var paused = DemoWorkspace.LeadRouter();
        paused.Key = "paused-router";
        paused.Status = AgentStatus.Paused;
        await _host.CreateAgentAsync(paused);

        var unknown = await _host.Runs.StartAsync("no-such-agent", [], "tests");
        var refused = await _host.Runs.StartAsync("paused-router", JsonNode.Parse(MidMarketLead)!.AsObject(), "tests");

        Assert.Equal(RunCommandOutcome.NotFound, unknown.Outcome);
        Assert.Equal(RunCommandOutcome.Conflict, refused.Outcome);
        Assert.Contains("paused", refused.Message);
    }

    [Fact]
    public async Task StepLimit_StopsTheRunAndEscalates_AndApprovalGrantsANewAllowance()
    {
        await _host.UpdateDemoAgentAsync(a => a.MaxSteps = 2);
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var stopped = await _host.ExecuteAsync(id);

        Assert.Equal(RunStatus.StoppedByLimit, stopped.Run.Status);
        Assert.Equal(RunLimit.Steps, stopped.Run.LimitHit);
        Assert.Equal(2, stopped.Run.ModelCalls);
        var escalation = Assert.Single(stopped.Escalations);
        Assert.Equal(EscalationKind.Limit, escalation.Kind);
        Assert.Contains(stopped.Steps, s => s.Kind == RunStepKind.Limit);

        var resolved = await _host.Escalations.ResolveAsync(escalation.Id, EscalationAction.Approve, "Allow it to finish", "reviewer@agentconsole.local");
        Assert.Equal(RunCommandOutcome.Done, resolved.Outcome);
        var finished = await _host.ExecuteAsync(id);

        Assert.True(finished.Run.Status == RunStatus.Succeeded, string.Join("\n", finished.Steps.Select(s => $"{s.Kind} {s.Title}")));
        Assert.Equal(4, finished.Run.ModelCalls);
        Assert.Equal(3, finished.Steps.Count(s => s.Kind == RunStepKind.ToolCall));
    }

    [Fact]
    public async Task Budget_StopsTheRunBeforeAModelCallThatCouldExceedIt()
    {
        await using var pricey = await RunHost.StartAsync(time: null, settings:
        [
            ("AgentConsole:Models:Providers:pricey:Kind", "Offline"),
            ("AgentConsole:Models:Providers:pricey:InputPricePerMillion", "5000"),
            ("AgentConsole:Models:Providers:pricey:OutputPricePerMillion", "5000"),
        ]);
        await pricey.UpdateDemoAgentAsync(a => (a.Model, a.BudgetPerRunUsd) = ("pricey", 5m));
        var id = await pricey.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await pricey.ExecuteAsync(id);

        Assert.Equal(RunStatus.StoppedByLimit, detail.Run.Status);
        Assert.Equal(RunLimit.Budget, detail.Run.LimitHit);
        Assert.True(detail.Run.CostUsd <= 5m, $"spent {detail.Run.CostUsd}");
        Assert.Equal(EscalationKind.Limit, Assert.Single(detail.Escalations).Kind);
        RunHost.DeleteFolder(pricey.Folder);
    }

    [Fact]
    public async Task Cancel_EndsAQueuedRunAtOnce_AndAnExecutingRunAtItsNextStep()
    {
        var queued = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var cancelled = await _host.Runs.CancelAsync(queued, "owner@agentconsole.local");
        Assert.Equal(RunCommandOutcome.Done, cancelled.Outcome);
        Assert.Equal(RunStatus.Cancelled, (await _host.Runs.GetAsync(queued))!.Run.Status);
        Assert.Equal(RunStatus.Cancelled, (await _host.ExecuteAsync(queued)).Run.Status);

        var running = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var notifications = _host.Services.GetRequiredService<RunNotifications>();
        var requested = false;
        void CancelAfterFirstTool(RunUpdated update)
        {
            if (update.RunId == running && !requested && update.Status == RunStatus.Running)
            {
                var tools = _host.QueryAsync(db => db.RunSteps.CountAsync(s => s.RunId == running && s.Kind == RunStepKind.ToolCall)).GetAwaiter().GetResult();
                if (tools == 1)
                {
                    requested = true;
                    _host.Runs.CancelAsync(running, "owner@agentconsole.local").GetAwaiter().GetResult();
                }
            }
        }

        notifications.Updated += CancelAfterFirstTool;
        var detail = await _host.ExecuteAsync(running);
        notifications.Updated -= CancelAfterFirstTool;

        Assert.True(requested);
        Assert.Equal(RunStatus.Cancelled, detail.Run.Status);
        Assert.Equal(1, detail.Run.ToolCalls);
        Assert.Contains("owner@agentconsole.local", detail.Run.Reason);
        Assert.Equal(RunCommandOutcome.Conflict, (await _host.Runs.CancelAsync(running, "owner@agentconsole.local")).Outcome);
    }

    [Fact]
    public async Task Rerun_StartsANewRunWithTheSameInput()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        await _host.ExecuteAsync(id);

        var rerun = await _host.Runs.RerunAsync(id, "owner@agentconsole.local");
        var detail = await _host.ExecuteAsync(rerun.RunId!.Value);

        Assert.NotEqual(id, detail.Run.Id);
        Assert.Equal(id, detail.Run.RerunOf);
        Assert.Equal(RunStatus.Succeeded, detail.Run.Status);
    }

    [Fact]
    public async Task List_FiltersByAgentAndStatus_AndPagesWithACursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        }

        var waiting = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        await _host.ExecuteAsync(waiting);

        var first = await _host.Runs.ListAsync(new RunQuery(Agent: DemoWorkspace.LeadRouterKey, Limit: 2));
        var second = await _host.Runs.ListAsync(new RunQuery(Agent: DemoWorkspace.LeadRouterKey, Cursor: first.NextCursor, Limit: 2));
        var onlyWaiting = await _host.Runs.ListAsync(new RunQuery(Status: RunStatus.WaitingForHuman));

        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.NextCursor);
        Assert.Empty(first.Items.Select(r => r.Id).Intersect(second.Items.Select(r => r.Id)));
        Assert.Equal(waiting, Assert.Single(onlyWaiting.Items).Id);
        Assert.Equal(waiting, first.Items[0].Id);
        await Assert.ThrowsAsync<FormatException>(() => _host.Runs.ListAsync(new RunQuery(Cursor: "not-a-cursor")));
    }

    [Fact]
    public async Task WallClockLimit_StopsTheRun_WhenTimeRunsOutMidRun()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = RunHost.NewFolder();
        await using (var host = await RunHost.StartAsync(folder, time))
        {
            await host.UpdateDemoAgentAsync(a => a.WallClockLimitSeconds = 10);
            var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
            var notifications = host.Services.GetRequiredService<RunNotifications>();
            void Advance(RunUpdated update) => time.Advance(TimeSpan.FromSeconds(4));
            notifications.Updated += Advance;

            var detail = await host.ExecuteAsync(id);
            notifications.Updated -= Advance;

            Assert.Equal(RunStatus.StoppedByLimit, detail.Run.Status);
            Assert.Equal(RunLimit.WallClock, detail.Run.LimitHit);
            Assert.True(detail.Run.ToolCalls < 3);
        }

        RunHost.DeleteFolder(folder);
    }

    [Fact]
    public async Task ActiveTime_IsSavedWithTheSaveThatEndsEachExecution_AndAddsUpAcrossExecutions()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = RunHost.NewFolder();
        await using (var host = await RunHost.StartAsync(folder, time))
        {
            await CrmToolsOnlyAsync(host);
            var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
            var notifications = host.Services.GetRequiredService<RunNotifications>();
            var saves = 0;
            void Advance(RunUpdated update)
            {
                saves++;
                time.Advance(TimeSpan.FromSeconds(1));
            }

            notifications.Updated += Advance;
            var waiting = await host.ExecuteAsync(id);
            var firstSaves = saves;
            await host.Escalations.ResolveAsync(waiting.Escalations[0].Id,
                new EscalationDecision(EscalationAction.Approve, "Checked with sales.", Value: "Mid-market sequence"), Reviewer);
            var resolvedSaves = saves;
            var finished = await host.ExecuteAsync(id);
            notifications.Updated -= Advance;

            Assert.Equal(RunStatus.WaitingForHuman, waiting.Run.Status);
            Assert.Equal(RunStatus.Succeeded, finished.Run.Status);
            // Each save advanced the clock by a second after it was written: an execution's active time is every
            // second that passed before its last save, and the second execution adds to the first.
            var first = TimeSpan.FromSeconds(firstSaves - 1);
            Assert.Equal(first.TotalMilliseconds, waiting.Run.ActiveMilliseconds);
            var second = TimeSpan.FromSeconds(saves - resolvedSaves - 1);
            Assert.True(second > TimeSpan.Zero);
            Assert.Equal((first + second).TotalMilliseconds, finished.Run.ActiveMilliseconds);
        }

        RunHost.DeleteFolder(folder);
    }
}
