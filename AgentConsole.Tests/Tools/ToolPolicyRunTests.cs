using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Models;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Tools;

/// <summary>
/// The engine's tool policy in real runs (SQLite, the OpenAI client over HTTP, the whole pipeline): arguments are
/// checked against the tool's schema before its connector runs, calls to tools the agent was not granted are refused
/// and audited, and a call whose own arguments raise its cost to undo past the threshold waits for a person.
/// </summary>
public sealed class ToolPolicyRunTests : IDisposable
{
    private readonly RunFolders _folders = new();
    private readonly LedgerConnector _ledger = new();

    public void Dispose() => _folders.Dispose();

    private async Task<RunHost> StartAsync(FakeModelEndpoint endpoint)
    {
        var host = await RunHost.StartWithAsync(s => s.AddSingleton<IConnector>(_ledger), _folders.New(), null, RunHost.Provider(endpoint.BaseAddress));
        await host.UpdateDemoAgentAsync(a =>
        {
            a.Model = "fake";
            a.Tools = [new ToolGrant { Tool = LedgerConnector.PostTool, Scope = ToolScope.Write }];
        });
        return host;
    }

    [Fact]
    public async Task Call_WithArgumentsOutsideTheSchema_IsRefusedBeforeTheConnector_AndTheModelIsToldWhatToFix()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = "lots", memo = "x" }),
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 12.5, memo = "fixed" }),
            FakeModelReply.Text("Posted."));
        await using var host = await StartAsync(endpoint);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(1, _ledger.Invocations);
        var tools = ToolSteps(detail);
        Assert.Equal(2, tools.Count);
        Assert.True(tools[0].IsError);
        Assert.StartsWith("ledger_post refused:", tools[0].Title, StringComparison.Ordinal);
        Assert.False(tools[1].IsError, tools[1].Title);
        // The model heard which argument was wrong, and the correction counted as a step.
        var told = Assert.Single(endpoint.ParsedRequests[1].Messages, m => m.Role == "tool");
        Assert.Contains("do not fit", told.Content, StringComparison.Ordinal);
        Assert.Contains("amount", told.Content, StringComparison.Ordinal);
        Assert.Equal(3, detail.Run.ModelCalls);
        // Sealed first: the audit entry waits in the outbox until the sealer chains it, which may not have happened yet.
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var refused = await host.QueryAsync(db => db.AuditEvents.CountAsync(e => e.RunId == id.ToString() && e.Action == "tool.refused"));
        Assert.Equal(1, refused);
    }

    [Fact]
    public async Task Call_ToAToolTheAgentWasNotGranted_IsRefusedAndAudited_AndNeverPerformed()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("enroll_in_sequence", new { email = "dana@acme.example", route = "Mid-market sequence" }),
            FakeModelReply.Text("I could not enroll the lead."));
        await using var host = await StartAsync(endpoint);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.DoesNotContain("enroll_in_sequence", endpoint.ParsedRequests[0].ToolNames);
        var step = Assert.Single(ToolSteps(detail));
        Assert.True(step.IsError);
        Assert.Equal("enroll_in_sequence refused: not granted", step.Title);
        Assert.Null(step.CallId);
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var audit = await host.QueryAsync(db => db.AuditEvents.Where(e => e.RunId == id.ToString() && e.Action == "tool.refused").ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal(AuditCategory.Security, entry.Category);
        Assert.Contains("not granted", entry.Summary, StringComparison.Ordinal);
        Assert.Equal(0, detail.Run.ToolCalls);
    }

    [Fact]
    public async Task Call_WhoseArgumentsRaiseItsCostToUndo_WaitsForApproval_WithTheProposedCall_ThenRunsOnceApproved()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 20, memo = "small" }),
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000, memo = "large" }),
            FakeModelReply.Text("Posted both."));
        await using var host = await StartAsync(endpoint);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var waiting = await host.ExecuteAsync(id);

        // The small posting ran alone ($10 to undo); the large one waits: its arguments make it $500 to undo.
        Assert.True(waiting.Run.Status == RunStatus.WaitingForHuman, Timeline(waiting));
        Assert.Equal(1, _ledger.Invocations);
        var escalation = Assert.Single(waiting.Escalations);
        Assert.Equal(EscalationKind.Approval, escalation.Kind);
        Assert.Contains("$500", escalation.Reason, StringComparison.Ordinal);
        var proposed = JsonNode.Parse(escalation.ProposedAction!)!;
        Assert.Equal(LedgerConnector.PostTool, proposed["tool"]!.GetValue<string>());
        Assert.Equal(5000, proposed["arguments"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(500m, proposed["costToUndoUsd"]!.GetValue<decimal>());
        Assert.True(proposed["reversible"]!.GetValue<bool>());
        Assert.Equal("postings above $1,000 take an accountant to reverse", proposed["stakes"]!.GetValue<string>());

        var resolved = await host.Escalations.ResolveAsync(escalation.Id, EscalationAction.Approve, "Checked with finance", "reviewer@agentconsole.local");
        Assert.Equal(RunCommandOutcome.Done, resolved.Outcome);
        var done = await host.ExecuteAsync(id);

        Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
        Assert.Equal(2, _ledger.Invocations);
        Assert.Contains(_ledger.Performed.Values, p => p["amount"]!.GetValue<decimal>() == 5000);
        Assert.Equal(2, ToolSteps(done).Count(s => !s.IsError));
    }

    [Fact]
    public async Task Call_WhoseArgumentsRaiseItsCostToUndo_IsNotPerformed_WhenTheReviewerRejects()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }),
            FakeModelReply.Text("The posting was rejected."));
        await using var host = await StartAsync(endpoint);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var waiting = await host.ExecuteAsync(id);
        var escalation = Assert.Single(waiting.Escalations);

        await host.Escalations.ResolveAsync(escalation.Id, EscalationAction.Reject, "Too large", "reviewer@agentconsole.local");
        var done = await host.ExecuteAsync(id);

        Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
        Assert.Equal(0, _ledger.Invocations);
    }
}
