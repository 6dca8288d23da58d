using AgentConsole.Engine.Runs;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>A time window back from now, as the runs list offers it.</summary>
public sealed record RunWindow(string Key, string Label, TimeSpan? Length)
{
    public static readonly IReadOnlyList<RunWindow> All =
    [
        new("1h", "Last hour", TimeSpan.FromHours(1)),
        new("24h", "Last 24 hours", TimeSpan.FromDays(1)),
        new("7d", "Last 7 days", TimeSpan.FromDays(7)),
        new("30d", "Last 30 days", TimeSpan.FromDays(30)),
    ];

    public static RunWindow? Find(string? key) => All.FirstOrDefault(w => string.Equals(w.Key, key, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The runs list's filters; the URL's query string is their only home, so a link shares them.</summary>
public sealed class RunFilter
{
    public string? Agent { get; set; }
    public RunStatus? Status { get; set; }

    /// <summary>Key of the trigger that started the runs; null means any origin.</summary>
    public string? Trigger { get; set; }

    /// <summary>Key of a <see cref="RunWindow"/>; null means all time.</summary>
    public string? Window { get; set; }

    /// <summary>Which kind of runs; null means production runs (evaluation, replay and trial runs are listed only when asked).</summary>
    public RunKind? Kind { get; set; }

    public bool IsEmpty => Agent is null && Status is null && Window is null && Trigger is null && Kind is null;

    /// <summary>Reads the URL's values; unknown statuses and windows are dropped rather than failing the page.</summary>
    public static RunFilter Parse(string? agent, string? status, string? window, string? trigger = null, string? kind = null) => new()
    {
        Kind = Enum.TryParse<RunKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k) && !int.TryParse(kind, out _) && k != RunKind.Production ? k : null,
        Trigger = string.IsNullOrWhiteSpace(trigger) ? null : trigger.Trim().ToLowerInvariant(),
        Agent = string.IsNullOrWhiteSpace(agent) ? null : agent.Trim().ToLowerInvariant(),
        Status = Enum.TryParse<RunStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(status, out _) ? s : null,
        Window = RunWindow.Find(window)?.Key,
    };

    public Dictionary<string, object?> ToQueryParameters() => new()
    {
        ["agent"] = Agent,
        ["status"] = Status?.ToString(),
        ["window"] = Window,
        ["trigger"] = Trigger,
        ["kind"] = Kind?.ToString(),
    };

    public RunQuery ToQuery(DateTimeOffset now, string? cursor, int limit) =>
        new(Agent, Status, RunWindow.Find(Window)?.Length is { } length ? now - length : null, null, cursor, limit, Trigger, Kind ?? RunKind.Production);
}
