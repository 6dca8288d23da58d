using System.Globalization;

namespace AgentConsole.Engine.Notifications;

/// <summary>The words of a notification: one subject, a short body and the deep link, the same for every channel.</summary>
public sealed record NotificationText(string Subject, string Body, string Link)
{
    private const int SubjectReasonChars = 120;
    private const int SubjectMaxChars = 300;

    /// <summary>The deep link the queue page answers: <c>{PublicBaseUrl}/escalations/{id}</c>.</summary>
    public static string LinkTo(Uri baseUri, Guid? escalationId) =>
        new Uri(baseUri, escalationId is { } id ? $"escalations/{id}" : "escalations").ToString();

    public static NotificationText For(EscalationNotice notice, Uri baseUri, DateTimeOffset now)
    {
        var link = LinkTo(baseUri, notice.EscalationId);
        var due = notice.DueAt is { } at ? Utc(at) : "no SLA";
        var reason = notice.Reason.ReplaceLineEndings(" ").Trim();
        var shortReason = reason.Length <= SubjectReasonChars ? reason : reason[..(SubjectReasonChars - 1)] + "…";
        var (subject, what) = notice.Event switch
        {
            NotificationEvent.Reminder => (
                $"Reminder: due in {MinutesLeft(notice.DueAt, now)} — {notice.AgentName}: {shortReason}",
                $"Nobody has decided this escalation yet. It is due in {MinutesLeft(notice.DueAt, now)}; then the agent's default action applies."),
            NotificationEvent.DefaultApplied => (
                $"Default action applied — {notice.AgentName}: {shortReason}",
                $"Nobody decided before the due time, so the default action was applied: {notice.Outcome ?? "see the escalation"}."),
            _ => (
                $"New escalation — {notice.AgentName}: {shortReason}",
                $"{notice.AgentName} escalated a case and waits for a reviewer."),
        };
        var body = string.Join('\n',
            what,
            "",
            $"Agent: {notice.AgentName} ({notice.AgentKey})",
            $"Kind: {notice.Kind}",
            $"Reason: {reason}",
            $"Due: {due}",
            "",
            $"Open it: {link}");
        return new NotificationText(subject.Length <= SubjectMaxChars ? subject : subject[..(SubjectMaxChars - 1)] + "…", body, link);
    }

    /// <summary>The alerts page, where the alert can be acknowledged: <c>{PublicBaseUrl}/alerts?alert={id}</c>.</summary>
    public static string LinkToAlert(Uri baseUri, long alertId) =>
        new Uri(baseUri, $"alerts?alert={alertId.ToString(CultureInfo.InvariantCulture)}").ToString();

    public static NotificationText ForAlert(AlertNotice notice, Uri baseUri)
    {
        var link = LinkToAlert(baseUri, notice.AlertId);
        var who = notice.AgentKey ?? "all agents";
        var subject = notice.Event == NotificationEvent.AlertResolved
            ? $"Resolved: {notice.RuleName} — {who}"
            : $"Alert ({notice.Severity.ToLowerInvariant()}): {notice.RuleName} — {who}";
        var body = string.Join('\n',
            notice.Event == NotificationEvent.AlertResolved ? "This alert's condition no longer holds." : "An alert rule fired.",
            "",
            $"Rule: {notice.RuleName}",
            $"Agent: {who}",
            $"Subject: {notice.Subject}",
            $"Severity: {notice.Severity}",
            notice.Event == NotificationEvent.AlertResolved ? $"Last seen: {notice.Message}" : $"What: {notice.Message}",
            "",
            $"Open the alerts: {link}");
        return new NotificationText(subject.Length <= SubjectMaxChars ? subject : subject[..(SubjectMaxChars - 1)] + "…", body, link);
    }

    public static NotificationText Test(string channelName, Uri baseUri)
    {
        var link = LinkTo(baseUri, null);
        return new NotificationText(
            $"Test notification from AgentConsole ({channelName})",
            $"This is a test of the notification channel '{channelName}'. Escalation notifications arrive like this one, with a link to the case.\n\nOpen the queue: {link}",
            link);
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string MinutesLeft(DateTimeOffset? due, DateTimeOffset now)
    {
        var minutes = due is { } at ? Math.Max(0, (int)Math.Ceiling((at - now).TotalMinutes)) : 0;
        return minutes == 1 ? "1 min" : $"{minutes} min";
    }
}
