using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools.Crm;
using AgentConsole.Tests.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// Pauses and crashes against a real OpenAI-compatible endpoint: a run waiting for approval survives a restart of the
/// installation, and a run whose process died resumes from its checkpoint without repeating side effects or model turns.
/// The endpoint outlives the hosts, as a real provider outlives the app.
/// </summary>
public sealed class OpenAiCompatibleResumeTests : IDisposable
{
    private const string Reviewer = "reviewer@agentconsole.local";

    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private string NewFolder() => _folders.New();

    private static FakeModelReply[] FullLoop() =>
    [
        FakeModelReply.ToolCall("crm_find_company", new { company = "Acme GmbH" }),
        FakeModelReply.ToolCall("crm_update_lead", new { email = "<EMAIL_1>", route = "Mid-market sequence" }),
        FakeModelReply.ToolCall("crm_set_lead_status", new { email = "<EMAIL_1>", status = "Routed", reason = "New mid-market lead from Acme GmbH." }),
        FakeModelReply.Text("Enrolled the lead and told Sales EMEA."),
    ];

    [Fact]
    public async Task ApprovalPause_SurvivesARestart_AndApprovedToolsRunOnceUntilTheRunSucceeds()
    {
        var folder = NewFolder();
        await using var endpoint = await FakeModelEndpoint.StartAsync(FullLoop());
        Guid id;
        Guid firstEscalation;
        await using (var host = await StartHostAsync(endpoint, folder, agent: a => a.AutonomyLevel = AutonomyLevel.ReadOnlyResearch))
        {
            id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

            var paused = await host.ExecuteAsync(id);

            Assert.True(paused.Run.Status == RunStatus.WaitingForHuman, Timeline(paused));
            Assert.Null(paused.Run.LeaseOwner);
            Assert.Equal(["crm_find_company"], ToolSteps(paused).Select(t => t.ToolName));
            Assert.Equal(2, endpoint.CallCount);
            var escalation = Assert.Single(paused.Escalations);
            Assert.Equal((EscalationKind.Approval, EscalationStatus.Open), (escalation.Kind, escalation.Status));
            var proposed = JsonNode.Parse(escalation.ProposedAction!)!;
            Assert.Equal("crm_update_lead", proposed["tool"]!.GetValue<string>());
            Assert.Equal("<EMAIL_1>", proposed["arguments"]!["email"]!.GetValue<string>());
            Assert.Contains("crm_update_lead", escalation.Reason, StringComparison.Ordinal);
            firstEscalation = escalation.Id;
        }

        // A fresh installation process over the same files: the paused conversation is read back from the database.
        await using (var host = await RunHost.StartAsync(folder, null, RunHost.Provider(endpoint.BaseAddress)))
        {
            Assert.Equal(RunCommandOutcome.Done, (await host.Escalations.ResolveAsync(firstEscalation, EscalationAction.Approve, null, Reviewer)).Outcome);

            var second = await host.ExecuteAsync(id);

            // crm_set_lead_status updates an internal record, above read-only research: it waits for a person too.
            Assert.True(second.Run.Status == RunStatus.WaitingForHuman, Timeline(second));
            Assert.Equal(["crm_find_company", "crm_update_lead"], ToolSteps(second).Select(t => t.ToolName));
            Assert.Contains("dana@acme.example", ToolSteps(second)[1].JournalJson, StringComparison.Ordinal);
            Assert.Equal(3, endpoint.CallCount);
            var enrollResult = Assert.Single(endpoint.ParsedRequests[2].Messages, m => m.Role == "tool" && m.ToolCallId == "call_2_0");
            Assert.Contains("LEAD-", enrollResult.Content, StringComparison.Ordinal);
            var notify = Assert.Single(second.Escalations, e => e.Status == EscalationStatus.Open);
            Assert.Equal(EscalationKind.Approval, notify.Kind);
            Assert.Equal("crm_set_lead_status", JsonNode.Parse(notify.ProposedAction!)!["tool"]!.GetValue<string>());

            Assert.Equal(RunCommandOutcome.Done, (await host.Escalations.ResolveAsync(notify.Id, EscalationAction.Approve, null, Reviewer)).Outcome);
            var done = await host.ExecuteAsync(id);

            Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
            Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], ToolSteps(done).Select(t => t.ToolName));
            Assert.Equal(4, endpoint.CallCount);
            Assert.Equal(4, done.Run.ModelCalls);
            Assert.Equal("Enrolled the lead and told Sales EMEA.", done.Run.Output);
            Assert.Equal(2, done.Steps.Count(s => s.Kind == RunStepKind.Human));
            Assert.All(done.Escalations, e => Assert.Equal(EscalationStatus.Approved, e.Status));
        }
    }

    [Fact]
    public async Task ApprovalPause_ResumesAgainstANewEndpoint_WhoseToolCallIdsStartOverAgain()
    {
        var folder = NewFolder();
        Guid id;
        Guid escalationId;
        await using (var before = await FakeModelEndpoint.StartAsync(FullLoop()))
        await using (var host = await StartHostAsync(before, folder, agent: a => a.AutonomyLevel = AutonomyLevel.ReadOnlyResearch))
        {
            id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
            var paused = await host.ExecuteAsync(id);
            Assert.True(paused.Run.Status == RunStatus.WaitingForHuman, Timeline(paused));
            escalationId = Assert.Single(paused.Escalations).Id;
        }

        // Another provider instance (a restarted local model server): its call ids call_1_0, call_2_0 repeat the run's
        // earlier ones for different calls. They must be performed, not mistaken for the journaled calls.
        await using var after = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("crm_find_company", new { company = "Globex Ltd" }),
            FakeModelReply.ToolCall("crm_set_lead_status", new { email = "<EMAIL_1>", status = "Routed", reason = "New mid-market lead from Acme GmbH." }),
            FakeModelReply.Text("Enrolled the lead and told Sales EMEA."));
        await using (var host = await RunHost.StartAsync(folder, null, RunHost.Provider(after.BaseAddress)))
        {
            await host.Escalations.ResolveAsync(escalationId, EscalationAction.Approve, null, Reviewer);
            var second = await host.ExecuteAsync(id);
            Assert.True(second.Run.Status == RunStatus.WaitingForHuman, Timeline(second));
            var notify = Assert.Single(second.Escalations, e => e.Status == EscalationStatus.Open);
            await host.Escalations.ResolveAsync(notify.Id, EscalationAction.Approve, null, Reviewer);

            var done = await host.ExecuteAsync(id);

            Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
            var tools = ToolSteps(done);
            Assert.Equal(["crm_find_company", "crm_update_lead", "crm_find_company", "crm_set_lead_status"], tools.Select(t => t.ToolName));
            Assert.Equal("Globex Ltd", JsonNode.Parse(tools[2].JournalJson!)!["company"]!.GetValue<string>());
            Assert.Equal(tools.Count, tools.Select(t => t.CallId).Distinct().Count());
            var globex = Assert.Single(after.ParsedRequests[1].Messages, m => m.Role == "tool" && m.Content!.Contains("Globex", StringComparison.Ordinal));
            Assert.Single(after.ParsedRequests[1].Messages.SelectMany(m => m.ToolCalls), c => c.Id == globex.ToolCallId && c.Name == "crm_find_company");
            Assert.Equal(3, after.CallCount);
        }
    }

    [Fact]
    public async Task RejectedApproval_DoesNotPerformTheTool_AndTellsTheModel()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("crm_find_company", new { company = "Acme GmbH" }),
            FakeModelReply.ToolCall("crm_update_lead", new { email = "<EMAIL_1>", route = "Mid-market sequence" }),
            FakeModelReply.Text("The enrolment was rejected; the lead was not enrolled."));
        await using var host = await StartHostAsync(endpoint, NewFolder(), agent: a => a.AutonomyLevel = AutonomyLevel.ReadOnlyResearch);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var paused = await host.ExecuteAsync(id);
        var escalation = Assert.Single(paused.Escalations);
        Assert.Equal(EscalationKind.Approval, escalation.Kind);

        var resolved = await host.Escalations.ResolveAsync(escalation.Id, EscalationAction.Reject, "Not this quarter.", Reviewer);
        var detail = await host.ExecuteAsync(id);

        Assert.Equal(RunCommandOutcome.Done, resolved.Outcome);
        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(["crm_find_company"], ToolSteps(detail).Select(t => t.ToolName));
        Assert.DoesNotContain(detail.Steps, s => s.ToolName == "crm_update_lead");
        Assert.Equal(EscalationStatus.Rejected, Assert.Single(detail.Escalations).Status);
        Assert.Equal(3, endpoint.CallCount);
        var rejection = Assert.Single(endpoint.ParsedRequests[2].Messages, m => m.Role == "tool" && m.ToolCallId == "call_2_0");
        Assert.Contains("reject", rejection.Content, StringComparison.OrdinalIgnoreCase);
        // The rejected update never reached the sandbox CRM.
        Assert.Equal(0, await host.QueryAsync(db => db.Set<CrmChange>().CountAsync(c => c.RunId == id)));
        Assert.False(await host.QueryAsync(db => db.Set<CrmLead>().AnyAsync(l => l.Email == "dana@acme.example")));
    }

    [Fact]
    public async Task CrashAfterAToolCall_IsReclaimedAtTheNextStartWithoutWaitingForTheLease_AndResumesWithoutRepeatingTheToolOrTheModelTurn()
    {
        var folder = NewFolder();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var endpoint = await FakeModelEndpoint.StartAsync(FullLoop());
        Guid id;
        await using (var host = await StartHostAsync(endpoint, folder, time))
        {
            id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
            using var shutdown = new CancellationTokenSource();
            var notifications = host.Services.GetRequiredService<RunNotifications>();
            void DieAfterTheFirstTool(RunUpdated update)
            {
                if (update.RunId != id || shutdown.IsCancellationRequested)
                {
                    return;
                }

                var tools = host.QueryAsync(db => db.RunSteps.CountAsync(s => s.RunId == id && s.ToolName == "crm_find_company")).GetAwaiter().GetResult();
                if (tools == 1)
                {
                    // The job's shutdown token: the process is going away while the run is mid-way.
                    shutdown.Cancel();
                }
            }

            notifications.Updated += DieAfterTheFirstTool;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Executor.ExecuteAsync(id, shutdown.Token));
            notifications.Updated -= DieAfterTheFirstTool;

            var crashed = (await host.Runs.GetAsync(id))!;
            Assert.True(crashed.Run.Status == RunStatus.Running, Timeline(crashed));
            Assert.NotNull(crashed.Run.LeaseOwner);
            Assert.True(crashed.Run.LeaseExpiresAt > time.GetUtcNow());
            Assert.Equal(["crm_find_company"], ToolSteps(crashed).Select(t => t.ToolName));
            Assert.Equal(1, endpoint.CallCount);
        }

        // The next start of the same installation knows its predecessor is dead: it reclaims the run at once, without
        // waiting for the dead executor's lease (the clock has not moved).
        await using (var host = await RunHost.StartAsync(folder, time, RunHost.Provider(endpoint.BaseAddress)))
        {
            var reclaimed = (await host.Runs.GetAsync(id))!;
            Assert.Null(reclaimed.Run.LeaseOwner);
            Assert.NotNull(reclaimed.Run.RecoveryEnqueuedAt);
            var recovery = ActivatorUtilities.GetServiceOrCreateInstance<RunRecoveryJob>(host.Services);
            // Its recovery job is pending: the next recovery tick does not enqueue it again.
            Assert.Equal(0, await recovery.RunAsync(CancellationToken.None));

            var detail = await host.ExecuteAsync(id);

            Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
            Assert.Equal(2, detail.Run.Executions);
            Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], ToolSteps(detail).Select(t => t.ToolName));
            Assert.Single(detail.Steps, s => s.ToolName == "crm_find_company");
            Assert.Contains(detail.Steps, s => s.Kind == RunStepKind.Status && s.Title.StartsWith("Resumed after crm_find_company", StringComparison.Ordinal));
            // Turn 1 was checkpointed before the crash: only turns 2-4 were asked for after it.
            Assert.Equal(4, endpoint.CallCount);
            Assert.Equal(4, detail.Run.ModelCalls);
            var reused = Assert.Single(endpoint.ParsedRequests[1].Messages, m => m.Role == "tool");
            Assert.Equal("call_1_0", reused.ToolCallId);
            Assert.Contains("ACC-", reused.Content, StringComparison.Ordinal);
            Assert.Equal("Enrolled the lead and told Sales EMEA.", detail.Run.Output);
        }
    }
}
