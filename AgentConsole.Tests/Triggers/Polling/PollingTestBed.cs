using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Polling;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers.Polling;

/// <summary>
/// A real engine host (SQLite files, migrations, demo workspace) whose clock only moves when a test moves it; tests
/// create triggers through the catalog and poll them explicitly, never waiting on the polling job's timer.
/// </summary>
public sealed class PollingTestBed : IAsyncDisposable
{
    private readonly string _folder;

    private PollingTestBed(RunHost host, string folder, FakeTimeProvider time)
    {
        (Host, _folder, Time) = (host, folder, time);
    }

    public RunHost Host { get; }

    public FakeTimeProvider Time { get; }

    public TriggerCatalog Catalog => Host.Services.GetRequiredService<TriggerCatalog>();

    public TriggerPolling Polling => Host.Services.GetRequiredService<TriggerPolling>();

    public static async Task<PollingTestBed> StartAsync()
    {
        var folder = RunHost.NewFolder();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        return new PollingTestBed(await RunHost.StartAsync(folder, time), folder, time);
    }

    /// <summary>Creates a trigger of the demo lead router; fails the test with the catalog's errors when it is refused.</summary>
    public async Task<Trigger> CreateAsync(TriggerKind kind, JsonObject settings, IReadOnlyDictionary<string, string>? secrets = null,
        TriggerFilter? filter = null, IReadOnlyDictionary<string, string>? mapping = null, string agentKey = DemoWorkspace.LeadRouterKey)
    {
        var result = await Catalog.CreateAsync(agentKey, new TriggerDraft($"{kind} {Guid.NewGuid():N}"[..30], kind, Filter: filter, Mapping: mapping, Settings: settings, Secrets: secrets), "tests@agentconsole.local");
        Assert.True(result.Outcome == TriggerCommandOutcome.Done, $"{result.Outcome}: {result.Message} {string.Join("; ", result.Errors?.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}") ?? [])}");
        return result.Trigger!;
    }

    public Task<TriggerPollResult> PollAsync(Trigger trigger) => Polling.PollAsync(trigger.Id, CancellationToken.None);

    public Task<Trigger> ReloadAsync(Trigger trigger) => Host.QueryAsync(db => db.Triggers.AsNoTracking().SingleAsync(t => t.Id == trigger.Id));

    /// <summary>The trigger's received events (not duplicates or rejections), payloads parsed.</summary>
    public Task<List<JsonObject>> PayloadsAsync(Trigger trigger) => Host.QueryAsync(async db =>
        (await db.TriggerEvents.AsNoTracking().Where(e => e.TriggerId == trigger.Id && e.Status != TriggerEventStatus.Duplicate && e.Status != TriggerEventStatus.Rejected).ToListAsync())
        .Select(e => JsonNode.Parse(e.PayloadJson!)!.AsObject()).ToList());

    public Task<List<TriggerEvent>> EventsAsync(Trigger trigger) =>
        Host.QueryAsync(db => db.TriggerEvents.AsNoTracking().Where(e => e.TriggerId == trigger.Id).ToListAsync());

    /// <summary>The health audit actions (unhealthy, recovered) about this trigger, sealed or still in the outbox, oldest first.</summary>
    public async Task<List<string>> HealthAuditAsync(Trigger trigger)
    {
        // Seal first: read across the outbox and the chain, an entry the sealer moves in between would be missed.
        await Host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        return await Host.QueryAsync(db => db.AuditEvents.AsNoTracking()
            .Where(a => a.Category == AuditCategory.Trigger && a.Summary.Contains(trigger.Key) && (a.Action == "trigger.unhealthy" || a.Action == "trigger.recovered"))
            .OrderBy(a => a.Sequence)
            .Select(a => a.Action)
            .ToListAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }
}
