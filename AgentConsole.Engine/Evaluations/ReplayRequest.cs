using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Which historical runs to replay and against what: production runs of the agent in a time window with an outcome
/// (or named runs), newest first, at most <see cref="Limit"/>; the draft defaults as <see cref="EvaluationTarget"/> says.
/// </summary>
public sealed record ReplayRequest(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    RunStatus? Status = null,
    IReadOnlyList<Guid>? RunIds = null,
    int Limit = 50,
    string? PromptVersion = null,
    IReadOnlyDictionary<string, int>? Decisions = null);
