using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using AgentConsole.Engine.Monitoring;

namespace AgentConsole.Tests.Demo;

/// <summary>
/// On first start the demo runs three sample leads, so the review queue has cases to try at once: a large account
/// (routed to human review), an e-mail to the CRM's high-stakes key account (waiting for approval) and an address
/// that hard-bounces (a tool failure).
/// </summary>
public sealed class DemoSampleRunsTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task FirstStart_WithSampleRuns_LeavesARouteAnApprovalAndAToolFailureInTheQueue_AndRoutineRunsSucceed()
    {
        await using var host = await RunHost.StartAsync(_folders.New(), null, ("AgentConsole:Demo:SampleRuns", "true"));
        var runs = await host.QueryAsync(db => db.Runs.AsNoTracking().OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
        Assert.Equal(DemoWorkspace.SampleLeads.Count + DemoWorkspace.RoutineLeads.Count, runs.Count);

        var kinds = new List<EscalationKind>();
        foreach (var run in runs.Take(DemoWorkspace.SampleLeads.Count))
        {
            var detail = await host.ExecuteAsync(run);
            Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, $"{detail.Run.Status}: {detail.Run.Reason}");
            kinds.Add(Assert.Single(detail.Escalations).Kind);
        }

        Assert.Equal([EscalationKind.Route, EscalationKind.Approval, EscalationKind.ToolFailure], kinds);
        foreach (var run in runs.Skip(DemoWorkspace.SampleLeads.Count))
        {
            var detail = await host.ExecuteAsync(run);
            Assert.True(detail.Run.Status == RunStatus.Succeeded, $"{detail.Run.Status}: {detail.Run.Reason}");
        }

        // The demo dashboard then shows a workload inside the healthy band, not only escalations.
        var summary = await host.Services.GetRequiredService<RunMetrics>().SummarizeAsync(new MetricsQuery(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal(EscalationHealth.Healthy, summary.EscalationHealth);
    }

    [Fact]
    public async Task SampleRuns_AreOffByDefault()
    {
        await using var host = await RunHost.StartAsync(_folders.New());

        Assert.Equal(0, await host.QueryAsync(db => db.Runs.CountAsync()));
    }
}
