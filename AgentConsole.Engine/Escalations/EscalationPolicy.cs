using System.Text.Json;
using AgentConsole.Engine.Access;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// An agent's escalation policy, edited by Owners: which conditions hand a case to a person (beyond the engine's own
/// rules, which no policy can switch off: irreversible or costly actions always need approval), who reviews, the SLA
/// with its default action, the notification channels, and the four-eyes rules. Decision route values that escalate
/// are the agent's engine routes.
/// </summary>
public sealed class EscalationPolicy
{
    public const int DefaultSlaMinutes = 240;
    public const int MinSlaMinutes = 5;
    public const int MaxSlaMinutes = 30 * 24 * 60;
    public const int DefaultReminderMinutes = 30;
    public const int DefaultMaxLimitGrants = 2;
    public const int MaxLimitGrantsCeiling = 10;
    public const int MaxListItems = 50;

    /// <summary>A tool call that kept failing past its retries escalates; off, the run fails with the failure as its reason.</summary>
    public bool EscalateToolFailures { get; set; } = true;

    /// <summary>A step, budget or wall-clock limit escalates (a reviewer may grant more); off, the run fails with the limit as its reason.</summary>
    public bool EscalateLimits { get; set; } = true;

    /// <summary>The agent may hand a case over itself with the escalate tool.</summary>
    public bool AllowAgentRequests { get; set; } = true;

    /// <summary>A guardrail violation whose rule asks for a person escalates; off, the run fails.</summary>
    public bool EscalateGuardrailViolations { get; set; } = true;

    /// <summary>Tools whose every call needs approval, on top of the engine's rule for irreversible and costly actions.</summary>
    public List<string> ApprovalTools { get; set; } = [];

    /// <summary>When set (0–1), a final answer reporting a lower confidence escalates instead of finishing the run.</summary>
    public decimal? LowConfidenceBelow { get; set; }

    /// <summary>Roles whose members review this agent's cases (Admins always may).</summary>
    public List<string> ReviewerRoles { get; set; } = [Roles.Reviewer, Roles.Owner];

    /// <summary>Named reviewers (e-mail addresses of users), in addition to the roles.</summary>
    public List<string> Reviewers { get; set; } = [];

    public int SlaMinutes { get; set; } = DefaultSlaMinutes;

    /// <summary>Reviewers are reminded this long before the SLA runs out; 0 sends no reminder.</summary>
    public int ReminderMinutesBefore { get; set; } = DefaultReminderMinutes;

    public EscalationDefaultAction DefaultAction { get; set; } = EscalationDefaultAction.Hold;

    /// <summary>Notification channel keys; empty notifies on every enabled channel.</summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>An action that needs approval cannot be approved by the person or API key that started the run.</summary>
    public bool FourEyes { get; set; } = true;

    /// <summary>How many times reviewers may grant a run stopped by a limit another allowance.</summary>
    public int MaxLimitGrants { get; set; } = DefaultMaxLimitGrants;

    public EscalationPolicy Clone() => new()
    {
        EscalateToolFailures = EscalateToolFailures,
        EscalateLimits = EscalateLimits,
        AllowAgentRequests = AllowAgentRequests,
        EscalateGuardrailViolations = EscalateGuardrailViolations,
        ApprovalTools = [.. ApprovalTools ?? []],
        LowConfidenceBelow = LowConfidenceBelow,
        ReviewerRoles = [.. ReviewerRoles ?? []],
        Reviewers = [.. Reviewers ?? []],
        SlaMinutes = SlaMinutes,
        ReminderMinutesBefore = ReminderMinutesBefore,
        DefaultAction = DefaultAction,
        Channels = [.. Channels ?? []],
        FourEyes = FourEyes,
        MaxLimitGrants = MaxLimitGrants,
    };

    /// <summary>Whether a person with these roles and e-mail may decide this agent's cases.</summary>
    public bool MayReview(IEnumerable<string> roles, string? email)
    {
        var held = roles.ToList();
        return held.Contains(Roles.Admin, StringComparer.Ordinal)
            || held.Intersect(ReviewerRoles ?? [], StringComparer.Ordinal).Any()
            || (email is not null && (Reviewers ?? []).Contains(email, StringComparer.OrdinalIgnoreCase));
    }

    public string Describe() =>
        $"{(ReviewerRoles is { Count: > 0 } r ? string.Join(", ", r) : "named reviewers")}{(Reviewers is { Count: > 0 } n ? $" and {string.Join(", ", n)}" : "")}";

    internal static string Serialize(EscalationPolicy policy) => JsonSerializer.Serialize(policy, JsonOptions);

    internal static EscalationPolicy Deserialize(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new EscalationPolicy() : JsonSerializer.Deserialize<EscalationPolicy>(json, JsonOptions) ?? new EscalationPolicy();

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
