namespace AgentConsole.Engine.Runs;

/// <summary>
/// The configuration a non-production run is pinned to (see <see cref="Run.CreatePinned"/>). <paramref name="RedactionJson"/>:
/// a replay starts from the historical run's placeholders.
/// </summary>
public sealed record RunSetup(
    RunKind Kind,
    Guid? PromptVersionId,
    int? PromptVersionNumber,
    string DecisionVersionsJson,
    Guid? EvaluationId = null,
    Guid? ReplayOf = null,
    string? RedactionJson = null);
