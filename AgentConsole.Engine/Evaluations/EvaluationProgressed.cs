namespace AgentConsole.Engine.Evaluations;

/// <summary>An evaluation moved: a case got its verdict, or the evaluation started or completed.</summary>
public sealed record EvaluationProgressed(Guid EvaluationId, string AgentKey, EvaluationStatus Status, int Completed, int Total);
