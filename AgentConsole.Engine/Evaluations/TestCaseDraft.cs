namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// A case prefilled from a run ("add to test set"), for the owner to edit before saving; <see cref="Case"/> is null
/// when the run cannot give one (not found, its input purged), and <see cref="Message"/> says why.
/// </summary>
public sealed record TestCaseDraft(TestSetChangeOutcome Outcome, string Message, string? AgentKey = null, TestCaseEdit? Case = null);
