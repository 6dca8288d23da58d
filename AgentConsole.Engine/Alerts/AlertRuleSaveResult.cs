namespace AgentConsole.Engine.Alerts;

/// <summary>What saving or deleting a rule did; <see cref="Errors"/> is keyed by field (<c>alert.x</c>) when Invalid.</summary>
public sealed record AlertRuleSaveResult(AlertRuleSaveOutcome Outcome, AlertRule? Rule, IReadOnlyDictionary<string, string[]> Errors, string Message)
{
    public static AlertRuleSaveResult Saved(AlertRule rule, string message) => new(AlertRuleSaveOutcome.Saved, rule, new Dictionary<string, string[]>(), message);

    public static AlertRuleSaveResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(AlertRuleSaveOutcome.Invalid, null, errors, "The rule has errors: " + string.Join(" ", errors.SelectMany(e => e.Value)));

    public static AlertRuleSaveResult NotFound(Guid id) => new(AlertRuleSaveOutcome.NotFound, null, new Dictionary<string, string[]>(), $"No alert rule {id}.");
}
