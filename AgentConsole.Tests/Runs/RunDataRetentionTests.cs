using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Runs;

/// <summary>Run-data retention on a real SQLite file with a fake clock: raw values go, the redacted record stays.</summary>
public sealed class RunDataRetentionTests : IDisposable
{
    private const string Email = "dana@acme.example";
    private const string Card = "4111 1111 1111 1111";
    private const string Lead = $$"""{"name":"Dana Lee","email":"{{Email}}","company":"Acme GmbH","employees":42,"industry":"Software","notes":"card {{Card}}"}""";
    private const string EnterpriseLead = $$"""{"name":"Sam Park","email":"{{Email}}","company":"Big Bank","employees":1200,"industry":"Banking"}""";

    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task RunAsync_DeletesRawDataOfEndedRuns_AfterTheRetention_AndKeepsTheRedactedRecord()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var host = await RunHost.StartAsync(_folders.New(), time, ("AgentConsole:RunData:RetentionDays", "30"));
        var ended = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, Lead);
        var before = await host.ExecuteAsync(ended);
        Assert.Equal(RunStatus.Succeeded, before.Run.Status);
        Assert.Contains(before.Steps, s => s.JournalJson is not null);
        var waiting = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        Assert.Equal(RunStatus.WaitingForHuman, (await host.ExecuteAsync(waiting)).Run.Status);
        var job = host.Services.GetRequiredService<RunDataRetentionJob>();

        time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        Assert.Null((await host.Runs.GetAsync(ended))!.Run.RawDataPurgedAt);

        time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var after = (await host.Runs.GetAsync(ended))!;
        Assert.Equal(time.GetUtcNow(), after.Run.RawDataPurgedAt);
        Assert.Equal(RunDataRetentionJob.PurgedInput, after.Run.InputJson);
        Assert.Null(after.Run.ConversationJson);
        Assert.Null(after.Run.RedactionJson);
        Assert.All(after.Steps, s => Assert.Null(s.JournalJson));
        // The redacted timeline, totals and output stay as they were.
        Assert.Equal(before.Steps.Select(s => (s.Sequence, s.Title, s.DetailJson)), after.Steps.Select(s => (s.Sequence, s.Title, s.DetailJson)));
        Assert.Equal((before.Run.Status, before.Run.Output, before.Run.ModelCalls, before.Run.ToolCalls, before.Run.CostUsd),
            (after.Run.Status, after.Run.Output, after.Run.ModelCalls, after.Run.ToolCalls, after.Run.CostUsd));

        // Nothing of the raw values is left in the run's rows.
        var rows = await host.QueryAsync(async db =>
        {
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == ended);
            var steps = await db.RunSteps.AsNoTracking().Where(s => s.RunId == ended).ToListAsync();
            return string.Join("\n", new[] { run.InputJson, run.FactsJson, run.Output, run.Reason, run.ConversationJson, run.RedactionJson }
                .Concat(steps.SelectMany(s => new[] { s.Title, s.DetailJson, s.JournalJson })));
        });
        Assert.DoesNotContain(Email, rows, StringComparison.Ordinal);
        Assert.DoesNotContain(Card, rows, StringComparison.Ordinal);

        // A run still waiting for a person keeps everything it needs to resume.
        var open = (await host.Runs.GetAsync(waiting))!.Run;
        Assert.Null(open.RawDataPurgedAt);
        Assert.Contains(Email, open.InputJson, StringComparison.Ordinal);
        Assert.NotNull(open.ConversationJson);

        var rerun = await host.Runs.RerunAsync(ended, "tests@agentconsole.local");
        Assert.Equal(RunCommandOutcome.Conflict, rerun.Outcome);
        Assert.Contains("retention", rerun.Message, StringComparison.Ordinal);

        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var purgeEvent = await host.QueryAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "run.raw-data-purged"));
        Assert.Contains(ended.ToString(), purgeEvent.Payload, StringComparison.Ordinal);
    }
}
