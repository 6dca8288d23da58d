namespace AgentConsole.Engine.Escalations;

/// <summary>The wire names of <see cref="EscalationAction"/> (approve, reject, edit-approve, return, take-over, cancel).</summary>
public static class EscalationActions
{
    private static readonly Dictionary<string, EscalationAction> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["approve"] = EscalationAction.Approve,
        ["reject"] = EscalationAction.Reject,
        ["edit-approve"] = EscalationAction.EditApprove,
        ["return"] = EscalationAction.Return,
        ["take-over"] = EscalationAction.TakeOver,
        ["cancel"] = EscalationAction.Cancel,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(EscalationAction action) => ByName.First(p => p.Value == action).Key;

    public static bool TryParse(string? name, out EscalationAction action) => ByName.TryGetValue(name?.Trim() ?? "", out action);
}
