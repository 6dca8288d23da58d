using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Tests.Components;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Escalations;

/// <summary>The figures the dashboard uses: escalation rate per agent, time to resolution, outcomes by reason.</summary>
public sealed class EscalationStatisticsTests : IAsyncLifetime
{
    private const string EnterpriseLead = FakeProviderRuns.EnterpriseLead;
    private readonly string _folder = RunHost.NewFolder();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private RunHost _host = default!;

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folder, _time);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    [Fact]
    public async Task Metrics_CountEscalatedRunsPerAgent_TimeToResolution_AndOutcomesByReason()
    {
        var reviewer = new EscalationReviewer("reviewer@agentconsole.local", [Roles.Reviewer]);
        for (var i = 0; i < 3; i++)
        {
            await _host.ExecuteAsync(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, BusyWorkspaceFixture.MidMarketLead));
        }

        var first = Assert.Single((await _host.ExecuteAsync(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead))).Escalations);
        var second = Assert.Single((await _host.ExecuteAsync(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead))).Escalations);
        _time.Advance(TimeSpan.FromMinutes(10));
        await _host.Escalations.ResolveAsync(first.Id, new EscalationDecision(EscalationAction.Approve, Value: "Mid-market sequence"), reviewer);
        _time.Advance(TimeSpan.FromMinutes(20));
        await _host.Escalations.ResolveAsync(second.Id, new EscalationDecision(EscalationAction.Reject, "Not a real company"), reviewer);

        var metrics = await _host.Services.GetRequiredService<EscalationStatistics>().ComputeAsync(30);

        var agent = Assert.Single(metrics.Agents);
        Assert.Equal((5, 2), (agent.Runs, agent.EscalatedRuns));
        Assert.Equal(0.4, agent.Rate, 3);
        Assert.Equal(2, metrics.Resolved);
        Assert.Equal(10, metrics.MedianMinutesToResolve);
        Assert.Equal(30, metrics.P95MinutesToResolve);
        var route = Assert.Single(metrics.ByReason);
        Assert.Equal(EscalationKind.Route, route.Kind);
        Assert.Equal(1, route.ByResolution["approve"]);
        Assert.Equal(1, route.ByResolution["reject"]);
    }
}
