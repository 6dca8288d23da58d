using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// Tells the world about an escalation: inside the transaction that raises it, the notifications are queued (so a
/// crash loses none); after the commit, its SLA's reminder and deadline are scheduled as Hangfire delayed jobs (the
/// minutely sweep in <see cref="EscalationDeadlineJob"/> catches any a crash lost) and open queue pages hear of it.
/// </summary>
public sealed class EscalationAnnouncer(IBackgroundJobClient jobs, EscalationFeed feed, Notifications.EscalationNotifier notifier)
{
    /// <summary>
    /// Queues the reviewers' notifications about an escalation in the caller's context, so they commit (or not) with
    /// the change they announce: raised, reminded, held again, or decided by the SLA's default action.
    /// </summary>
    public async Task NotifyAsync(AgentConsoleDbContext db, Escalation escalation, string agentName, EscalationPolicy policy, EscalationChange change, string? outcome, CancellationToken ct)
    {
        var notification = change switch
        {
            EscalationChange.Raised => Notifications.NotificationEvent.Raised,
            EscalationChange.Reminded => Notifications.NotificationEvent.Reminder,
            EscalationChange.Held or EscalationChange.Resolved => Notifications.NotificationEvent.DefaultApplied,
            _ => (Notifications.NotificationEvent?)null,
        };
        if (notification is not { } what)
        {
            return;
        }

        var reviewers = await ReviewerEmailsAsync(db, policy, ct);
        await notifier.QueueAsync(db, new Notifications.EscalationNotice(escalation.Id, escalation.RunId, escalation.AgentKey, agentName,
            escalation.Kind.ToString(), escalation.Reason, escalation.DueAt, what, policy.Channels ?? [], reviewers, outcome), ct);
    }

    /// <summary>Called after the escalation committed.</summary>
    public void Raised(Escalation escalation)
    {
        notifier.Wake();
        Schedule(escalation);
        feed.Publish(new EscalationChanged(escalation.Id, escalation.AgentKey, EscalationChange.Raised));
    }

    /// <summary>Schedules the reminder and the deadline of an open escalation (again after a hold moved them).</summary>
    public void Schedule(Escalation escalation)
    {
        var id = escalation.Id;
        if (escalation.RemindAt is { } remind)
        {
            jobs.Schedule<EscalationDeadlineJob>(job => job.RemindAsync(id, CancellationToken.None), remind);
        }

        if (escalation.DueAt is { } due)
        {
            jobs.Schedule<EscalationDeadlineJob>(job => job.ExpireAsync(id, CancellationToken.None), due);
        }
    }

    public void Resolved(Escalation escalation)
    {
        notifier.Wake();
        feed.Publish(new EscalationChanged(escalation.Id, escalation.AgentKey, EscalationChange.Resolved, escalation.ResolvedBy));
    }

    public void Changed(Escalation escalation, EscalationChange change, string? by = null)
    {
        if (change is EscalationChange.Held or EscalationChange.Reminded)
        {
            notifier.Wake();
        }

        feed.Publish(new EscalationChanged(escalation.Id, escalation.AgentKey, change, by));
    }

    /// <summary>The e-mail addresses of the people who review an agent's cases: members of its reviewing roles and its named reviewers.</summary>
    public static async Task<IReadOnlyList<string>> ReviewerEmailsAsync(AgentConsoleDbContext db, EscalationPolicy policy, CancellationToken ct)
    {
        var roles = policy.ReviewerRoles ?? [];
        var byRole = roles.Count == 0 ? [] : await (
            from user in db.Users
            join userRole in db.UserRoles on user.Id equals userRole.UserId
            join role in db.Roles on userRole.RoleId equals role.Id
            where roles.Contains(role.Name!) && user.Email != null && !user.IsDisabled
            select user.Email!).Distinct().ToListAsync(ct);
        return [.. byRole.Concat(policy.Reviewers ?? []).Select(e => e.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
