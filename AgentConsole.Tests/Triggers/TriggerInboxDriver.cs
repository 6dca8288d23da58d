using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Triggers;

/// <summary>Delivers events to a trigger as a sender's would arrive: into the inbox, then through the processor.</summary>
public static class TriggerInboxDriver
{
    /// <summary>
    /// Receives the payloads and processes until none is waiting. The host's own processor may take a batch at the same
    /// time; either way every event ends processed, and no engine timer is awaited.
    /// </summary>
    public static async Task DeliverAsync(IServiceProvider services, string key, string source, params JsonObject[] payloads)
    {
        var trigger = (await services.GetRequiredService<TriggerCatalog>().FindAsync(key))!;
        var inbox = services.GetRequiredService<TriggerInbox>();
        foreach (var payload in payloads)
        {
            await inbox.ReceiveAsync(trigger, new TriggerIntake(payload, Source: source));
        }

        var processor = services.GetRequiredService<TriggerEventProcessor>();
        var statistics = services.GetRequiredService<TriggerStatistics>();
        for (var round = 0; round < 200; round++)
        {
            try
            {
                await processor.ProcessBatchAsync(CancellationToken.None);
            }
            catch (DbUpdateException)
            {
                // The host's processor started the run for the same event first; the unique run-per-event index refused
                // the second. The loop sees the event processed.
            }
            if ((await statistics.EventsAsync(trigger.Id, null, TriggerStatistics.MaxPageSize, TriggerEventStatus.Received)).Items.Count == 0)
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail($"The inbox of trigger '{key}' was not drained.");
    }
}
