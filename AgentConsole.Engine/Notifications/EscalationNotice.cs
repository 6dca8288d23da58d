namespace AgentConsole.Engine.Notifications;

/// <summary>
/// What to tell reviewers about one escalation. <paramref name="Reason"/> is already redacted by the caller. An empty
/// <paramref name="ChannelKeys"/> means every enabled channel; <paramref name="ReviewerEmails"/> are the e-mail
/// recipients unless a channel has a fixed list. <paramref name="Outcome"/> says what the default action did.
/// </summary>
public sealed record EscalationNotice(
    Guid EscalationId,
    Guid RunId,
    string AgentKey,
    string AgentName,
    string Kind,
    string Reason,
    DateTimeOffset? DueAt,
    NotificationEvent Event,
    IReadOnlyList<string> ChannelKeys,
    IReadOnlyList<string> ReviewerEmails,
    string? Outcome = null);
