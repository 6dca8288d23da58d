namespace AgentConsole.Engine.Notifications;

public enum NotificationChannelSaveOutcome
{
    Saved,
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>The result of saving or deleting a channel; <see cref="Errors"/> are keyed by the edit's field names (camelCase).</summary>
public sealed record NotificationChannelSaveResult(
    NotificationChannelSaveOutcome Outcome,
    NotificationChannelView? Channel,
    IReadOnlyDictionary<string, string[]> Errors,
    string? Message)
{
    private static readonly Dictionary<string, string[]> Empty = [];

    internal static NotificationChannelSaveResult Saved(NotificationChannelView? view) => new(NotificationChannelSaveOutcome.Saved, view, Empty, null);

    internal static NotificationChannelSaveResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(NotificationChannelSaveOutcome.Invalid, null, errors, "The channel is not valid: " + string.Join(" ", errors.SelectMany(e => e.Value)));

    internal static NotificationChannelSaveResult NotFound(string key) => new(NotificationChannelSaveOutcome.NotFound, null, Empty, $"No notification channel '{key}'.");

    internal static NotificationChannelSaveResult Conflict(string message) => new(NotificationChannelSaveOutcome.Conflict, null, Empty, message);
}
