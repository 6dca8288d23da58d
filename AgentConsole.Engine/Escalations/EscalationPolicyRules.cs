using System.Net.Mail;
using AgentConsole.Engine.Access;

namespace AgentConsole.Engine.Escalations;

/// <summary>Checks and tidies an escalation policy as the agent editor and the API send it; errors are keyed <c>escalation.x</c>.</summary>
public static class EscalationPolicyRules
{
    public static void Validate(EscalationPolicy? policy, IReadOnlyList<Tools.ToolGrant> grants, Action<string, string> add)
    {
        if (policy is null)
        {
            return;
        }

        if (policy.SlaMinutes is < EscalationPolicy.MinSlaMinutes or > EscalationPolicy.MaxSlaMinutes)
        {
            add("escalation.slaMinutes", $"The SLA must be between {EscalationPolicy.MinSlaMinutes} minutes and 30 days ({EscalationPolicy.MaxSlaMinutes:N0} minutes).");
        }

        if (policy.ReminderMinutesBefore < 0 || (policy.ReminderMinutesBefore > 0 && policy.ReminderMinutesBefore >= policy.SlaMinutes))
        {
            add("escalation.reminderMinutesBefore", "The reminder must come before the SLA runs out (0 sends none).");
        }

        if (!Enum.IsDefined(policy.DefaultAction))
        {
            add("escalation.defaultAction", $"The default action must be one of {string.Join(", ", Enum.GetNames<EscalationDefaultAction>())}.");
        }

        if (policy.MaxLimitGrants is < 0 or > EscalationPolicy.MaxLimitGrantsCeiling)
        {
            add("escalation.maxLimitGrants", $"Extra allowances for a run stopped by a limit must be between 0 and {EscalationPolicy.MaxLimitGrantsCeiling}.");
        }

        if (policy.LowConfidenceBelow is { } threshold && threshold is <= 0 or >= 1)
        {
            add("escalation.lowConfidenceBelow", "The confidence threshold must be between 0 and 1 (e.g. 0.6), or empty for none.");
        }

        var roles = policy.ReviewerRoles ?? [];
        foreach (var role in roles.Where(r => !Roles.All.Contains(r?.Trim() ?? "", StringComparer.Ordinal)))
        {
            add("escalation.reviewerRoles", $"'{role}' is not a role; use {string.Join(", ", Roles.All)}.");
        }

        var reviewers = policy.Reviewers ?? [];
        foreach (var reviewer in reviewers.Where(r => !MailAddress.TryCreate(r?.Trim(), out _)))
        {
            add("escalation.reviewers", $"'{reviewer}' is not an e-mail address of a user.");
        }

        if (roles.Count == 0 && reviewers.Count == 0)
        {
            add("escalation.reviewerRoles", "Name at least one reviewing role or reviewer (Admins can always decide).");
        }

        var granted = grants.Where(g => g is not null).Select(g => g.Tool.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var tool in (policy.ApprovalTools ?? []).Where(t => !granted.Contains(t?.Trim() ?? "")))
        {
            add("escalation.approvalTools", $"'{tool}' is not one of the agent's granted tools.");
        }

        foreach (var channel in (policy.Channels ?? []).Where(c => string.IsNullOrWhiteSpace(c) || c.Length > 64))
        {
            add("escalation.channels", $"'{channel}' is not a notification channel key.");
        }

        foreach (var (name, count) in new[] { ("reviewers", reviewers.Count), ("approvalTools", policy.ApprovalTools?.Count ?? 0), ("channels", policy.Channels?.Count ?? 0) })
        {
            if (count > EscalationPolicy.MaxListItems)
            {
                add($"escalation.{name}", $"At most {EscalationPolicy.MaxListItems} entries.");
            }
        }
    }

    public static EscalationPolicy Normalize(EscalationPolicy? policy)
    {
        var p = (policy ?? new EscalationPolicy()).Clone();
        p.ApprovalTools = [.. p.ApprovalTools.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)];
        p.ReviewerRoles = [.. p.ReviewerRoles.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)];
        p.Reviewers = [.. p.Reviewers.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
        p.Channels = [.. p.Channels.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)];
        return p;
    }
}
