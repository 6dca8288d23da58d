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
using Microsoft.Extensions.Time.Testing;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Escalations;

/// <summary>
/// The SLA with a <see cref="FakeTimeProvider"/>: reviewers are reminded before the due time; when it passes with
/// nobody deciding, the policy's default action applies once (the delayed job and the sweep may both fire).
/// </summary>
public sealed class EscalationSlaTests : IDisposable
{
    private const string EnterpriseLead = FakeProviderRuns.EnterpriseLead;
    private readonly RunFolders _folders = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly LedgerConnector _ledger = new();

    public void Dispose() => _folders.Dispose();

    private async Task<(RunHost Host, Guid Run, Escalation Escalation)> RouteEscalationAsync(EscalationDefaultAction action)
    {
        var host = await RunHost.StartAsync(_folders.New(), _time);
        await host.UpdateDemoAgentAsync(a =>
        {
            a.Escalation.SlaMinutes = 60;
            a.Escalation.ReminderMinutesBefore = 15;
            a.Escalation.DefaultAction = action;
        });
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        var waiting = await host.ExecuteAsync(id);
        return (host, id, Assert.Single(waiting.Escalations));
    }

    private static EscalationDeadlines Deadlines(RunHost host) => host.Services.GetRequiredService<EscalationDeadlines>();

    private static Task<Escalation> ReloadAsync(RunHost host, Guid id) => host.QueryAsync(db => db.Escalations.AsNoTracking().SingleAsync(e => e.Id == id));

    [Fact]
    public async Task Reminder_IsSentOnce_WhenItsTimeComes_AndNotBefore()
    {
        var (host, _, escalation) = await RouteEscalationAsync(EscalationDefaultAction.Hold);
        await using var _ = host;

        _time.Advance(TimeSpan.FromMinutes(44));
        var early = await Deadlines(host).RemindAsync(escalation.Id);
        _time.Advance(TimeSpan.FromMinutes(2));
        var due = await Deadlines(host).RemindAsync(escalation.Id);
        var twice = await Deadlines(host).RemindAsync(escalation.Id);

        Assert.False(early);
        Assert.True(due);
        Assert.False(twice);
        Assert.Equal(_time.GetUtcNow(), (await ReloadAsync(host, escalation.Id)).RemindedAt);
    }

    [Fact]
    public async Task Reject_AppliesAtTheDueTime_EndsTheRouteEscalatedRun_AndIsAuditedAsTheSla()
    {
        var (host, run, escalation) = await RouteEscalationAsync(EscalationDefaultAction.Reject);
        await using var _ = host;

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Null(await Deadlines(host).ExpireAsync(escalation.Id));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(await Deadlines(host).ExpireAsync(escalation.Id));
        Assert.Null(await Deadlines(host).ExpireAsync(escalation.Id));

        var expired = await ReloadAsync(host, escalation.Id);
        Assert.Equal(EscalationStatus.Rejected, expired.Status);
        Assert.Equal(EscalationResolvedVia.Timeout, expired.ResolvedVia);
        Assert.Equal(RunStatus.Cancelled, (await host.Runs.GetAsync(run))!.Run.Status);
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var audit = await host.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Action == "escalation.resolved"));
        Assert.Equal(AuditActorType.System, audit.ActorType);
        Assert.Contains("SLA default action", audit.Summary, StringComparison.Ordinal);

        // A reviewer who comes too late is told the case expired.
        var late = await host.Escalations.ResolveAsync(escalation.Id, new EscalationDecision(EscalationAction.Approve, Value: "SMB sequence"),
            new EscalationReviewer("reviewer@agentconsole.local", [Roles.Reviewer]));
        Assert.Equal(RunCommandOutcome.Conflict, late.Outcome);
        Assert.Contains("expired", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelRun_AppliesThroughTheSweep()
    {
        var (host, run, escalation) = await RouteEscalationAsync(EscalationDefaultAction.CancelRun);
        await using var _ = host;

        _time.Advance(TimeSpan.FromMinutes(61));
        var done = await Deadlines(host).SweepAsync();

        Assert.Equal(1, done);
        Assert.Equal(EscalationStatus.Cancelled, (await ReloadAsync(host, escalation.Id)).Status);
        Assert.Equal(RunStatus.Cancelled, (await host.Runs.GetAsync(run))!.Run.Status);
    }

    [Fact]
    public async Task Hold_KeepsTheCaseOpen_ForAnotherSlaPeriod_AndRemindsAgain()
    {
        var (host, run, escalation) = await RouteEscalationAsync(EscalationDefaultAction.Hold);
        await using var _ = host;

        _time.Advance(TimeSpan.FromMinutes(60));
        await Deadlines(host).SweepAsync();
        var held = await ReloadAsync(host, escalation.Id);

        Assert.Equal(EscalationStatus.Open, held.Status);
        Assert.Equal(1, held.Holds);
        Assert.Equal(_time.GetUtcNow().AddMinutes(60), held.DueAt);
        Assert.Null(held.RemindedAt);
        Assert.Equal(RunStatus.WaitingForHuman, (await host.Runs.GetAsync(run))!.Run.Status);
        // The first due time's job firing late changes nothing: the case is no longer due.
        Assert.Null(await Deadlines(host).ExpireAsync(escalation.Id));
    }

    [Fact]
    public async Task ApproveIfReversible_ApprovesAHeldCallThatIsCheapToUndo_AndRunsIt()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 20 }), FakeModelReply.Text("Posted."));
        await using var host = await StartHostAsync(endpoint, _folders.New(), _time, a =>
        {
            a.Tools = [new ToolGrant { Tool = LedgerConnector.PostTool, Scope = ToolScope.Write }];
            a.Escalation.ApprovalTools = [LedgerConnector.PostTool];
            a.Escalation.DefaultAction = EscalationDefaultAction.ApproveIfReversible;
        }, s => s.AddSingleton<IConnector>(_ledger));
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var escalation = Assert.Single((await host.ExecuteAsync(id)).Escalations);

        _time.Advance(TimeSpan.FromHours(4));
        await Deadlines(host).ExpireAsync(escalation.Id);
        var done = await host.ExecuteAsync(id);

        Assert.Equal(EscalationStatus.Approved, Assert.Single(done.Escalations).Status);
        Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
        Assert.Equal(1, _ledger.Invocations);
    }

    [Fact]
    public async Task ApproveIfReversible_HoldsAHeldCallThatCostsTooMuchToUndo_InsteadOfApprovingIt()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.ToolCall(LedgerConnector.PostTool, new { amount = 5000 }), FakeModelReply.Text("Posted."));
        await using var host = await StartHostAsync(endpoint, _folders.New(), _time, a =>
        {
            a.Tools = [new ToolGrant { Tool = LedgerConnector.PostTool, Scope = ToolScope.Write }];
            a.Escalation.DefaultAction = EscalationDefaultAction.ApproveIfReversible;
        }, s => s.AddSingleton<IConnector>(_ledger));
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var escalation = Assert.Single((await host.ExecuteAsync(id)).Escalations);

        _time.Advance(TimeSpan.FromHours(4));
        var what = await Deadlines(host).ExpireAsync(escalation.Id);

        Assert.Contains("never approved unattended", what, StringComparison.Ordinal);
        var held = await ReloadAsync(host, escalation.Id);
        Assert.Equal((EscalationStatus.Open, 1), (held.Status, held.Holds));
        Assert.Equal(0, _ledger.Invocations);
    }
}
