namespace AgentConsole.Engine.Triggers;

public enum TriggerCommandOutcome
{
    Done,
    NotFound,
    Invalid,
    Conflict,

    /// <summary>The trigger changed since the revision the caller edited (If-Match), or at the same time.</summary>
    Stale,
}

/// <summary>
/// The result of a change to a trigger. <see cref="Secret"/> carries a newly generated signing secret: it is shown
/// this once (on creation and rotation) and never again.
/// </summary>
public sealed record TriggerCommandResult(
    TriggerCommandOutcome Outcome,
    Trigger? Trigger = null,
    string? Secret = null,
    string? Message = null,
    IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static TriggerCommandResult NotFound(string message) => new(TriggerCommandOutcome.NotFound, Message: message);

    public static TriggerCommandResult Conflict(string message, Trigger? trigger = null) => new(TriggerCommandOutcome.Conflict, trigger, Message: message);

    public static TriggerCommandResult Stale(string message, Trigger? trigger = null) => new(TriggerCommandOutcome.Stale, trigger, Message: message);

    public static TriggerCommandResult Invalid(IReadOnlyDictionary<string, string[]> errors, string message = "The trigger is not valid.") =>
        new(TriggerCommandOutcome.Invalid, Message: message, Errors: errors);
}
