namespace AgentConsole.Engine.Evaluations;

/// <summary>Whether a version may be published, and the evaluation that says so (or the reason it may not).</summary>
public sealed record PublishGateResult(bool Passed, string Message, Guid? EvaluationId, double? PassRate, double Threshold);
