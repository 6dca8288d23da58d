namespace AgentConsole.Engine.Notifications;

/// <summary>
/// What to tell people about one alert firing or resolving. <paramref name="Message"/> holds the measured value against
/// the threshold; an empty <paramref name="ChannelKeys"/> means every enabled channel.
/// </summary>
public sealed record AlertNotice(
    long AlertId,
    string RuleName,
    string Severity,
    string? AgentKey,
    string Subject,
    string Message,
    NotificationEvent Event,
    IReadOnlyList<string> ChannelKeys);
