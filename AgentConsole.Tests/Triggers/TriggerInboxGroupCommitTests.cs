using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers;

/// <summary>The inbox's group commit: events arriving together are written together, de-duplication still holds.</summary>
public sealed class TriggerInboxGroupCommitTests : IDisposable
{
    private readonly RunFolders _folders = new();

    [Fact]
    public async Task ReceiveAsync_StoresEveryEventOnce_AndAnswersRepeatedKeysWithTheFirstEvent_WhenCalledConcurrently()
    {
        await using var host = await RunHost.StartAsync(_folders.New(), new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)));
        var created = await host.Services.GetRequiredService<TriggerCatalog>().CreateAsync(DemoWorkspace.LeadRouterKey,
            new TriggerDraft("Group commit", TriggerKind.Webhook), "tests@agentconsole.local");
        var trigger = created.Trigger!;
        var inbox = host.Services.GetRequiredService<TriggerInbox>();

        // 30 keys sent twice each plus 20 events without a key, all at once.
        var receipts = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => Task.Run(() => inbox.ReceiveAsync(trigger,
            new TriggerIntake(new JsonObject { ["n"] = i }, i < 60 ? $"key-{i % 30}" : null, "test")))));
        var events = await host.QueryAsync(db => db.TriggerEvents.AsNoTracking().Where(e => e.TriggerId == trigger.Id).ToListAsync());

        // The host's processor may already have handled some (this host keeps its loop): everything but duplicates was received.
        var received = events.Where(e => e.Status != TriggerEventStatus.Duplicate).ToList();
        Assert.Equal(50, received.Count);
        Assert.Equal(30, events.Count(e => e.Status == TriggerEventStatus.Duplicate));
        Assert.Equal(30, receipts.Count(r => r.Duplicate));
        Assert.Equal(received.Select(e => e.Id).ToHashSet(), receipts.Select(r => r.EventId).ToHashSet());
        for (var k = 0; k < 30; k++)
        {
            // Both sends of a key got the same event, and that event holds the key.
            Assert.Equal(receipts[k].EventId, receipts[k + 30].EventId);
            Assert.Equal($"key-{k}", received.Single(e => e.Id == receipts[k].EventId).DedupKey);
        }
    }

    public void Dispose() => _folders.Dispose();
}
