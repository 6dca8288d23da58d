using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Triggers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Triggers;

/// <summary>Reading a host's trigger inbox in tests.</summary>
public static class TriggerEvents
{
    public static async Task<List<TriggerEvent>> OfAsync(IServiceProvider services, string triggerKey)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        return await db.TriggerEvents.AsNoTracking().Where(e => e.TriggerKey == triggerKey).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>
    /// The event once the host's inbox processor has handled it. The processor is woken by the inbox's signal (not a
    /// timer), so this waits on that; a test calling ProcessBatchAsync as well would race it for the same event.
    /// </summary>
    public static async Task<TriggerEvent> ProcessedAsync(IServiceProvider services, Guid eventId)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            await using (var db = await services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(guard.Token))
            {
                var evt = await db.TriggerEvents.AsNoTracking().SingleAsync(e => e.Id == eventId, guard.Token);
                if (evt.Status != TriggerEventStatus.Received)
                {
                    return evt;
                }
            }

            services.GetRequiredService<TriggerInboxSignal>().Notify();
            await Task.Delay(50, guard.Token);
        }
    }
}
