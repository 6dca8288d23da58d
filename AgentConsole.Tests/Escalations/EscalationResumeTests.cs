using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Escalations;

/// <summary>
/// Durable resume: a decision taken on one application instance resumes the run from its checkpoint on another start
/// of the application against the same database, and recovery picks up a decided run whose continuation job was lost.
/// </summary>
public sealed class EscalationResumeTests : IDisposable
{
    private const string EnterpriseLead = FakeProviderRuns.EnterpriseLead;
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task ADecisionBeforeARestart_ResumesTheRunAfterIt_FromItsCheckpoint()
    {
        var folder = _folders.New();
        Guid run;
        await using (var before = await RunHost.StartAsync(folder))
        {
            run = await before.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
            var escalation = Assert.Single((await before.ExecuteAsync(run)).Escalations);
            var decided = await before.Escalations.ResolveAsync(escalation.Id,
                new EscalationDecision(EscalationAction.Approve, "Enterprise lead, start with mid-market", Value: "Mid-market sequence"),
                new EscalationReviewer("reviewer@agentconsole.local", [Roles.Reviewer]));
            Assert.Equal(RunCommandOutcome.Done, decided.Outcome);
        }

        // A new process: the continuation job of the first is gone with it; recovery finds the decided run.
        await using var after = await RunHost.StartAsync(folder);
        Assert.Equal(RunStatus.Running, (await after.Runs.GetAsync(run))!.Run.Status);
        await after.Services.GetRequiredService<RunRecovery>().RecoverAsync(startingUp: true);
        var done = await after.ExecuteAsync(run);

        Assert.Equal(RunStatus.Succeeded, done.Run.Status);
        // The decision steps ran once: the decision table is not evaluated again and no model turn is repeated.
        Assert.Single(done.Steps, s => s.Kind == RunStepKind.Decision);
        Assert.Contains(done.Steps, s => s.Title.StartsWith("Run resumed", StringComparison.Ordinal));
        var route = Assert.Single(done.Steps, s => s.ToolName == "crm_update_lead");
        Assert.Contains("Mid-market sequence", route.DetailJson, StringComparison.Ordinal);
    }
}
