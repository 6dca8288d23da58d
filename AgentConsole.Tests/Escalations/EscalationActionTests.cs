using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Models;
using AgentConsole.Tests.Runs;
using AgentConsole.Tests.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Escalations;

/// <summary>
/// Every reviewer action end to end on real runs (SQLite, the OpenAI client over HTTP, the whole pipeline): the run
/// continues or ends as the action says, the decision is audited, and bad decisions are refused before anything resumes.
/// </summary>
public sealed class EscalationActionTests : IDisposable
{
    private static readonly EscalationReviewer Reviewer = new("reviewer@agentconsole.local", [Roles.Reviewer], "reviewer@agentconsole.local");
    private static readonly EscalationReviewer Starter = new("tests@agentconsole.local", [Roles.Owner], "tests@agentconsole.local");
    private readonly RunFolders _folders = new();
    private readonly LedgerConnector _ledger = new();

    public void Dispose() => _folders.Dispose();

    /// <summary>A run whose model asks to post 5,000 (an approval: $500 to undo), then answers.</summary>
    private async Task<(RunHost Host, Guid Run, Escalation Escalation)> HeldPostingAsync(FakeModelEndpoint endpoint, Action<Engine.Agents.AgentDefinition>? agent = null)
    {
        var host = await StartHostAsync(endpoint, _folders.New(), agent: a =>
        {
            a.Tools = [new ToolGrant { Tool = LedgerConnector.PostTool, Scope = ToolScope.Write }];
            agent?.Invoke(a);
        }, services: s => s.AddSingleton<IConnector>(_ledger));
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var waiting = await host.ExecuteAsync(id);
        Assert.True(waiting.Run.Status == RunStatus.WaitingForHuman, Timeline(waiting));
        return (host, id, Assert.Single(waiting.Escalations));
    }

    [Fact]
    public async Task EditApprove_RunsTheHeldCallWithTheReviewersArguments_AndAuditsThem()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000, memo = "large" }),
            FakeModelReply.Text("Posted."));
        var (host, id, escalation) = await HeldPostingAsync(endpoint);
        await using var _ = host;

        var result = await host.Escalations.ResolveAsync(escalation.Id,
            new EscalationDecision(EscalationAction.EditApprove, "Only half is due now", new JsonObject { ["amount"] = 2500, ["memo"] = "first half" }), Reviewer);
        var done = await host.ExecuteAsync(id);

        Assert.Equal(RunCommandOutcome.Done, result.Outcome);
        Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
        var posted = Assert.Single(_ledger.Performed.Values);
        Assert.Equal(2500m, posted["amount"]!.GetValue<decimal>());
        Assert.Equal("first half", posted["memo"]!.GetValue<string>());
        var resolved = Assert.Single(done.Escalations);
        Assert.Equal(EscalationStatus.Approved, resolved.Status);
        Assert.Equal("edit-approve", resolved.Resolution);
        Assert.Contains("2500", resolved.EditedArguments, StringComparison.Ordinal);
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var audit = await host.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "escalation.resolved").Select(e => e.Payload).ToListAsync());
        Assert.Contains(audit, p => p.Contains("edit-approve", StringComparison.Ordinal) && p.Contains("first half", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EditApprove_WithArgumentsOutsideTheToolsSchema_IsRefused_AndTheRunStaysWaiting()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }),
            FakeModelReply.Text("Posted."));
        var (host, id, escalation) = await HeldPostingAsync(endpoint);
        await using var _ = host;

        var result = await host.Escalations.ResolveAsync(escalation.Id,
            new EscalationDecision(EscalationAction.EditApprove, null, new JsonObject { ["amount"] = -3, ["colour"] = "red" }), Reviewer);

        Assert.Equal(RunCommandOutcome.Invalid, result.Outcome);
        Assert.Contains("arguments", result.Errors!.Keys);
        Assert.Contains(LedgerConnector.PostTool, result.Message, StringComparison.Ordinal);
        var still = (await host.Runs.GetAsync(id))!;
        Assert.Equal(RunStatus.WaitingForHuman, still.Run.Status);
        Assert.Equal(EscalationStatus.Open, Assert.Single(still.Escalations).Status);
        Assert.Equal(0, _ledger.Invocations);
    }

    [Fact]
    public async Task Return_DeclinesTheHeldCall_AndResumesTheRunWithTheReviewersGuidance()
    {
        FakeModelRequest? after = null;
        var turn = 0;
        await using var endpoint = await FakeModelEndpoint.StartAsync(request =>
        {
            turn++;
            if (turn == 1)
            {
                return FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 });
            }

            after = request;
            return FakeModelReply.Text("Split the posting as asked.");
        });
        var (host, id, escalation) = await HeldPostingAsync(endpoint);
        await using var _ = host;

        var result = await host.Escalations.ResolveAsync(escalation.Id,
            new EscalationDecision(EscalationAction.Return, Guidance: "Post it in two halves of 2,500 instead."), Reviewer);
        var done = await host.ExecuteAsync(id);

        Assert.Equal(RunCommandOutcome.Done, result.Outcome);
        Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
        Assert.Equal(0, _ledger.Invocations);
        Assert.Contains("two halves of 2,500", after!.Body, StringComparison.Ordinal);
        Assert.Equal(EscalationStatus.Returned, Assert.Single(done.Escalations).Status);
    }

    [Fact]
    public async Task TakeOver_EndsTheRunAsHandledByAPerson_WithTheReviewersOutcome_AndNeverRunsTheCall()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }),
            FakeModelReply.Text("Posted."));
        var (host, id, escalation) = await HeldPostingAsync(endpoint);
        await using var _ = host;

        var result = await host.Escalations.ResolveAsync(escalation.Id,
            new EscalationDecision(EscalationAction.TakeOver, "Booked manually in the ERP as two postings."), Reviewer);
        var after = await host.ExecuteAsync(id);

        Assert.Equal(RunCommandOutcome.Done, result.Outcome);
        Assert.Equal(RunStatus.HandledByHuman, after.Run.Status);
        Assert.Equal("Booked manually in the ERP as two postings.", after.Run.Output);
        Assert.Equal(EscalationStatus.TakenOver, Assert.Single(after.Escalations).Status);
        Assert.Equal(0, _ledger.Invocations);
    }

    [Fact]
    public async Task Reject_WithoutAReason_IsRefused_ReturnAndTakeOverNeedTheirText()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }));
        var (host, _, escalation) = await HeldPostingAsync(endpoint);
        await using var __ = host;

        var reject = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Reject, "  "), Reviewer);
        var back = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Return), Reviewer);
        var take = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.TakeOver), Reviewer);

        Assert.Equal((RunCommandOutcome.Invalid, "reason"), (reject.Outcome, reject.Errors!.Keys.Single()));
        Assert.Equal((RunCommandOutcome.Invalid, "guidance"), (back.Outcome, back.Errors!.Keys.Single()));
        Assert.Equal((RunCommandOutcome.Invalid, "reason"), (take.Outcome, take.Errors!.Keys.Single()));
    }

    [Fact]
    public async Task FourEyes_TheStarterOfTheRunCannotApproveItsHeldAction_ButAnotherReviewerCan()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }),
            FakeModelReply.Text("Posted."));
        var (host, id, escalation) = await HeldPostingAsync(endpoint);
        await using var _ = host;

        var own = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve), Starter);
        var other = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve), Reviewer);

        Assert.Equal(RunCommandOutcome.Forbidden, own.Outcome);
        Assert.Contains("Four eyes", own.Message, StringComparison.Ordinal);
        Assert.Equal(RunCommandOutcome.Done, other.Outcome);
        Assert.True((await host.ExecuteAsync(id)).Run.Status == RunStatus.Succeeded);
    }

    [Fact]
    public async Task FourEyes_Off_LetsTheStarterApprove()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }),
            FakeModelReply.Text("Posted."));
        var (host, _, escalation) = await HeldPostingAsync(endpoint, a => a.Escalation.FourEyes = false);
        await using var __ = host;

        var own = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve), Starter);

        Assert.Equal(RunCommandOutcome.Done, own.Outcome);
    }

    [Fact]
    public async Task OnlyTheAgentsReviewers_MayDecide()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }));
        var (host, _, escalation) = await HeldPostingAsync(endpoint, a =>
        {
            a.Escalation.ReviewerRoles = [];
            a.Escalation.Reviewers = ["finance@agentconsole.local"];
        });
        await using var __ = host;

        var reviewer = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Reject, "no"), Reviewer);
        var named = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Reject, "no"),
            new EscalationReviewer("finance@agentconsole.local", [Roles.Reviewer], "finance@agentconsole.local"));

        Assert.Equal(RunCommandOutcome.Forbidden, reviewer.Outcome);
        Assert.Contains("finance@agentconsole.local", reviewer.Message, StringComparison.Ordinal);
        Assert.Equal(RunCommandOutcome.Done, named.Outcome);
    }

    [Fact]
    public async Task ASecondDecision_OrAStaleVersion_IsAConflict_NotAnError()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }), FakeModelReply.Text("ok"));
        var (host, _, escalation) = await HeldPostingAsync(endpoint);
        await using var __ = host;

        var stale = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve, ExpectedVersion: escalation.Version + 1), Reviewer);
        var first = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve, ExpectedVersion: escalation.Version), Reviewer);
        var second = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Reject, "too late"), Reviewer);

        Assert.Equal(RunCommandOutcome.Conflict, stale.Outcome);
        Assert.Equal(RunCommandOutcome.Done, first.Outcome);
        Assert.Equal(RunCommandOutcome.Conflict, second.Outcome);
        Assert.Contains("already resolved (approved by reviewer@agentconsole.local", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyApprovalTools_HoldEveryCallToTheNamedTool_EvenWhenTheEngineWouldLetItRun()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 20 }),
            FakeModelReply.Text("Posted."));
        var (host, _, escalation) = await HeldPostingAsync(endpoint, a => a.Escalation.ApprovalTools = [LedgerConnector.PostTool]);
        await using var __ = host;

        Assert.Equal(EscalationKind.Approval, escalation.Kind);
        Assert.Contains("escalation policy asks a person to approve every call", escalation.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _ledger.Invocations);
    }

    [Fact]
    public async Task AgentRequestsOff_TheEscalateToolIsNotOffered()
    {
        FakeModelRequest? seen = null;
        await using var endpoint = await FakeModelEndpoint.StartAsync(request =>
        {
            seen = request;
            return FakeModelReply.Text("Done.");
        });
        await using var host = await StartHostAsync(endpoint, _folders.New(), agent: a => a.Escalation.AllowAgentRequests = false);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        Assert.Equal(RunStatus.Succeeded, (await host.ExecuteAsync(id)).Run.Status);
        Assert.DoesNotContain($"\"{BuiltInTools.Escalate}\"", seen!.Body, StringComparison.Ordinal);
        Assert.Contains("crm_find_company", seen.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LowConfidence_BelowThePolicysThreshold_Escalates_AndApprovingFinishesWithTheAgentsAnswer()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Text("Routed to the SMB sequence.\nConfidence: 0.4"));
        await using var host = await StartHostAsync(endpoint, _folders.New(), agent: a => a.Escalation.LowConfidenceBelow = 0.6m);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var waiting = await host.ExecuteAsync(id);
        var escalation = Assert.Single(waiting.Escalations);
        var approved = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve), Reviewer);
        var done = (await host.Runs.GetAsync(id))!;

        Assert.Equal(EscalationKind.LowConfidence, escalation.Kind);
        Assert.Contains("0.4", escalation.Reason, StringComparison.Ordinal);
        Assert.Equal(RunCommandOutcome.Done, approved.Outcome);
        Assert.Equal(RunStatus.Succeeded, done.Run.Status);
        Assert.StartsWith("Routed to the SMB sequence.", done.Run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolFailuresOff_ThePersistentFailureFailsTheRunWithItsReason()
    {
        await using var host = await RunHost.StartAsync(_folders.New());
        await host.UpdateDemoAgentAsync(a => a.Escalation.EscalateToolFailures = false);
        var store = host.Services.GetRequiredService<ConnectionStore>();
        foreach (var (key, _) in host.Services.GetRequiredService<ToolRegistry>().Connections)
        {
            await store.UpdateAsync(key, new ConnectionUpdate(ConnectionMode.Sandbox, [], null, SimulatedFailure.Persistent), "tests");
        }

        var detail = await host.ExecuteAsync(await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead));

        Assert.Equal(RunStatus.Failed, detail.Run.Status);
        Assert.Empty(detail.Escalations);
        Assert.Contains("does not hand persistent tool failures to a person", detail.Run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovingALimitEscalation_GrantsAtMostThePolicysNumberOfAllowances()
    {
        await using var host = await RunHost.StartAsync(_folders.New());
        await host.UpdateDemoAgentAsync(a =>
        {
            a.MaxSteps = 1;
            a.Escalation.MaxLimitGrants = 1;
        });
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var first = Assert.Single((await host.ExecuteAsync(id)).Escalations);
        var granted = await host.Escalations.ResolveAsync(first.Id, new EscalationDecision(EscalationAction.Approve), Reviewer);
        var again = await host.ExecuteAsync(id);
        var second = Assert.Single(again.Escalations, e => e.IsOpen);
        var refused = await host.Escalations.ResolveAsync(second.Id, new EscalationDecision(EscalationAction.Approve), Reviewer);

        Assert.Equal(RunCommandOutcome.Done, granted.Outcome);
        Assert.Equal(RunStatus.StoppedByLimit, again.Run.Status);
        Assert.Equal(RunCommandOutcome.Conflict, refused.Outcome);
        Assert.Contains("already had 1 extra allowance", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaisedEscalation_CarriesItsContext_ToolResultsCostAndSla()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 20, memo = "small" }),
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }));
        var (host, _, escalation) = await HeldPostingAsync(endpoint, a => a.Escalation.SlaMinutes = 90);
        await using var __ = host;

        var saw = JsonNode.Parse(escalation.WhatItSaw)!;
        Assert.Equal("Acme GmbH", saw["input"]!["company"]!.GetValue<string>());
        var result = Assert.Single(saw["toolResults"]!.AsArray());
        Assert.Equal(LedgerConnector.PostTool, result!["tool"]!.GetValue<string>());
        Assert.True(escalation.CostSoFarUsd > 0);
        Assert.Equal(2, escalation.StepsSoFar);
        Assert.Equal(TimeSpan.FromMinutes(90), escalation.DueAt - escalation.CreatedAt);
        Assert.Equal(EscalationDefaultAction.Hold, escalation.DefaultAction);
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var audit = await host.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "escalation.raised").Select(e => e.Payload).SingleAsync());
        Assert.Contains("dueAt", audit, StringComparison.Ordinal);
    }
}
