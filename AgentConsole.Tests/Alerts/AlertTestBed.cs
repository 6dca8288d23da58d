using AgentConsole.Engine.Alerts;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Alerts;

/// <summary>
/// A real engine host on SQLite with a FakeTimeProvider (see <see cref="NotificationTestBed"/>), no default rules and no
/// background delivery: tests seed runs, escalations and trigger events through the DbContext, add the rules they
/// need and call <see cref="AlertEvaluator.EvaluateAsync"/> themselves.
/// </summary>
public sealed class AlertTestBed : IAsyncDisposable
{
    public const string Editor = "owner@example.com";

    private AlertTestBed(NotificationTestBed bed) => Bed = bed;

    public NotificationTestBed Bed { get; }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time => Bed.Time;
    public DateTimeOffset Now => Time.GetUtcNow();
    public AlertEvaluator Evaluator => Get<AlertEvaluator>();
    public AlertBoard Board => Get<AlertBoard>();
    public AlertRuleCatalog Rules => Get<AlertRuleCatalog>();

    public static async Task<AlertTestBed> StartAsync(params (string Key, string? Value)[] settings) =>
        new(await NotificationTestBed.StartAsync([("AgentConsole:Alerts:SeedDefaultRules", "false"), .. settings]));

    public T Get<T>() where T : notnull => Bed.Host.Services.GetRequiredService<T>();

    public async Task<AlertRule> AddRuleAsync(string name, AlertKind kind, AlertParameters parameters, string? agentKey = null, params string[] channels)
    {
        var result = await Rules.CreateAsync(new AlertRuleEdit { Name = name, Kind = kind, AgentKey = agentKey, Parameters = parameters, Channels = [.. channels] }, Editor);
        return result.Rule ?? throw new InvalidOperationException(result.Message);
    }

    /// <summary>Ended runs of <paramref name="agentKey"/>, all at <paramref name="at"/> (default now), each costing <paramref name="cost"/>.</summary>
    public Task<List<Run>> SeedRunsAsync(string agentKey, int succeeded, int failed = 0, decimal cost = 0.10m, DateTimeOffset? at = null, int stopped = 0) =>
        AlertRuns.SeedAsync(Bed.Host.Services, agentKey, succeeded, failed, cost, at, stopped);

    /// <summary>Raises one escalation on each run, due in <paramref name="due"/> (no SLA when null).</summary>
    public async Task<List<Escalation>> EscalateAsync(IEnumerable<Run> runs, TimeSpan? due = null)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var sla = due is { } d ? new EscalationSla(d, TimeSpan.Zero, EscalationDefaultAction.Hold) : null;
        var escalations = runs.Select(r => Escalation.Raise(r, EscalationKind.Route, "Large account", "routed", "lead", Now, sla: sla)).ToList();
        db.Escalations.AddRange(escalations);
        await db.SaveChangesAsync();
        return escalations;
    }

    public async Task<Trigger> AddTriggerAsync(string key, string agentKey = "lead-router")
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var trigger = new Trigger
        {
            Id = Guid.NewGuid(), Key = key, AgentKey = agentKey, Name = key, Kind = TriggerKind.Webhook,
            CreatedAt = Now, CreatedBy = "tests", UpdatedAt = Now, UpdatedBy = "tests",
        };
        db.Triggers.Add(trigger);
        await db.SaveChangesAsync();
        return trigger;
    }

    public async Task AddEventsAsync(Trigger trigger, int count, DateTimeOffset at)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        for (var i = 0; i < count; i++)
        {
            db.TriggerEvents.Add(new TriggerEvent
            {
                Id = Guid.NewGuid(), TriggerId = trigger.Id, TriggerKey = trigger.Key, AgentKey = trigger.AgentKey, Kind = trigger.Kind,
                ReceivedAt = at, Status = TriggerEventStatus.RunStarted, Matched = true,
            });
        }

        await db.SaveChangesAsync();
    }

    public async Task<List<Alert>> AlertsAsync(Guid? ruleId = null)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Alerts.AsNoTracking().Where(a => ruleId == null || a.RuleId == ruleId).OrderBy(a => a.Id).ToListAsync();
    }

    public async Task<AlertRule> RuleAsync(Guid id) => (await Rules.FindAsync(id))!;

    public Task<int> SqlAsync(string sql) => Bed.Host.QueryAsync(db => db.Database.ExecuteSqlRawAsync(sql));

    /// <summary>Marks the escalations decided, as a reviewer's approval would (the run side is not the alerts' business).</summary>
    public Task<int> DecideAsync(IEnumerable<Escalation> escalations)
    {
        var ids = escalations.Select(e => e.Id).ToList();
        return Bed.Host.QueryAsync(db => db.Escalations.Where(e => ids.Contains(e.Id)).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EscalationStatus.Approved)));
    }

    private IDbContextFactory<AgentConsoleDbContext> Contexts => Get<IDbContextFactory<AgentConsoleDbContext>>();

    public ValueTask DisposeAsync() => Bed.DisposeAsync();
}
