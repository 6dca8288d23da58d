using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers;

public sealed class TriggerPayloadRetentionTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task RunDataRetention_DeletesProcessedEventPayloadsAfterTheRetention_AndKeepsStatusReasonAndUnprocessedEvents()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var host = await RunHost.StartAsync(_folders.New(), time, ("AgentConsole:RunData:RetentionDays", "30"), ("AgentConsole:Triggers:ProcessInBackground", "false"));
        var catalog = host.Services.GetRequiredService<TriggerCatalog>();
        var inbox = host.Services.GetRequiredService<TriggerInbox>();
        var trigger = (await catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("Leads", TriggerKind.Webhook,
            Filter: new TriggerFilter(FilterMatch.All, [new TriggerCondition("source", "\"website\"")])), "owner@agentconsole.local")).Trigger!;
        var filtered = await inbox.ReceiveAsync(trigger, new TriggerIntake(new JsonObject { ["email"] = "dana@acme.example", ["source"] = "fair" }));
        await host.Services.GetRequiredService<TriggerEventProcessor>().ProcessBatchAsync(CancellationToken.None);
        var job = host.Services.GetRequiredService<RunDataRetentionJob>();

        time.Advance(TimeSpan.FromDays(29));
        await job.RunAsync(CancellationToken.None);
        Assert.NotNull((await host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == filtered.EventId))).PayloadJson);

        // An event still waiting for the processor when retention comes must keep its payload.
        var pending = new TriggerEvent
        {
            Id = Guid.CreateVersion7(), TriggerId = trigger.Id, TriggerKey = trigger.Key, AgentKey = trigger.AgentKey, Kind = trigger.Kind,
            ReceivedAt = time.GetUtcNow(), Day = TriggerEvent.DayOf(time.GetUtcNow()), Status = TriggerEventStatus.Received,
            PayloadJson = """{"email":"sam@acme.example"}""",
        };
        await host.QueryAsync(async db =>
        {
            db.TriggerEvents.Add(pending);
            return await db.SaveChangesAsync();
        });
        time.Advance(TimeSpan.FromDays(40));
        await job.RunAsync(CancellationToken.None);

        var purged = await host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == filtered.EventId));
        Assert.Null(purged.PayloadJson);
        Assert.Equal(TriggerEventStatus.FilteredOut, purged.Status);
        Assert.NotNull(purged.Reason);
        Assert.NotNull((await host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == pending.Id))).PayloadJson);
    }
}
