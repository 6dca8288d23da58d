namespace AgentConsole.Engine.Evaluations;

public enum EvaluationStatus
{
    Queued,
    Running,
    Completed,
    Cancelled,
}
