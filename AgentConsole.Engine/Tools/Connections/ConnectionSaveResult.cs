namespace AgentConsole.Engine.Tools;

public enum ConnectionSaveOutcome
{
    Saved,
    Invalid,
    NotFound,
    Conflict,
}

public sealed record ConnectionSaveResult(ConnectionSaveOutcome Outcome, ConnectionView? Connection, IReadOnlyDictionary<string, string[]> Errors, string? Message)
{
    private static readonly Dictionary<string, string[]> Empty = [];

    internal static ConnectionSaveResult Saved(ConnectionView view) => new(ConnectionSaveOutcome.Saved, view, Empty, null);

    internal static ConnectionSaveResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ConnectionSaveOutcome.Invalid, null, errors, "The connection settings are not valid.");

    internal static ConnectionSaveResult NotFound(string key) => new(ConnectionSaveOutcome.NotFound, null, Empty, $"No connection '{key}'.");

    internal static ConnectionSaveResult Conflict(string message) => new(ConnectionSaveOutcome.Conflict, null, Empty, message);
}
