namespace AgentConsole.Engine.Evaluations;

public enum EvaluationStartOutcome
{
    Started,

    /// <summary>The agent, the prompt version, the test set or a decision does not exist.</summary>
    NotFound,

    /// <summary>The request names something that cannot be evaluated (another agent's set, an empty set, an unbound decision).</summary>
    Invalid,

    /// <summary>The agent's model provider is not configured, so no case could run.</summary>
    Conflict,
}

/// <summary>The outcome of <see cref="AgentEvaluations.StartAsync"/>: the new evaluation's id, or why none was started.</summary>
public sealed record EvaluationStartResult(EvaluationStartOutcome Outcome, Guid? EvaluationId = null, string? Message = null, Guid? BaselineEvaluationId = null)
{
    public static EvaluationStartResult NotFound(string message) => new(EvaluationStartOutcome.NotFound, Message: message);

    public static EvaluationStartResult Invalid(string message) => new(EvaluationStartOutcome.Invalid, Message: message);
}
