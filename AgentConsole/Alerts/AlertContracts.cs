using AgentConsole.Engine.Alerts;

namespace AgentConsole.Alerts;

/// <summary>
/// An alert rule as the API takes it: <c>kind</c> is one of ErrorRate, RunCost, DailySpend, EscalationRate,
/// EscalationsOverdue, TriggerVolume; <c>agent</c> null = every agent; <c>parameters</c> the kind's thresholds;
/// <c>channels</c> notification channel keys (empty = every enabled channel).
/// </summary>
public sealed record AlertRuleRequest(string? Name, string? Kind, string? Agent = null, bool? Enabled = null, AlertParameters? Parameters = null,
    IReadOnlyList<string>? Channels = null)
{
    public AlertRuleEdit ToEdit(AlertKind? kind) => new()
    {
        Name = Name,
        Kind = kind,
        AgentKey = Agent,
        Enabled = Enabled ?? true,
        Parameters = Parameters ?? new AlertParameters(),
        Channels = [.. Channels ?? []],
    };
}

public sealed record AlertRuleResponse(
    Guid Id, string Name, AlertKind Kind, string? Agent, bool Enabled, AlertParameters Parameters, IReadOnlyList<string> Channels,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy, DateTimeOffset? LastEvaluatedAt, string? LastError,
    DateTimeOffset? LastErrorAt)
{
    public static AlertRuleResponse From(AlertRule r) => new(r.Id, r.Name, r.Kind, r.AgentKey, r.Enabled, r.Parameters, r.ChannelKeys,
        r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy, r.LastEvaluatedAt, r.LastError, r.LastErrorAt);
}

public sealed record AlertResponse(
    long Id, Guid RuleId, string Rule, AlertKind Kind, string Subject, string? Agent, AlertSeverity Severity, AlertStatus Status, double Value,
    double Threshold, string Message, DateTimeOffset FiredAt, DateTimeOffset LastSeenAt, DateTimeOffset? ResolvedAt, DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy)
{
    public static AlertResponse From(Alert a) => new(a.Id, a.RuleId, a.RuleName, a.Kind, a.Subject, a.AgentKey, a.Severity, a.Status, a.Value,
        a.Threshold, a.Message, a.FiredAt, a.LastSeenAt, a.ResolvedAt, a.AcknowledgedAt, a.AcknowledgedBy);
}

/// <summary>Newest first; pass <c>nextCursor</c> as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record AlertPageResponse(IReadOnlyList<AlertResponse> Items, string? NextCursor);
