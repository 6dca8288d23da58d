namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// What to evaluate; everything is optional. The prompt version by id or number (default: the latest draft, else the
/// published version, else the built-in prompt); the test set (default: the agent's default set); decision versions by
/// decision key (a decision not named: its draft if it has one, else its published version).
/// </summary>
public sealed record EvaluationRequest(
    Guid? PromptVersionId = null,
    int? PromptVersionNumber = null,
    Guid? TestSetId = null,
    IReadOnlyDictionary<string, int>? Decisions = null);
