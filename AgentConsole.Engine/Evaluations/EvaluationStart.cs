namespace AgentConsole.Engine.Evaluations;

public enum EvaluationStartOutcome
{
    Started,
    NotFound,
    Invalid,
}

/// <summary>The answer to a request to start an evaluation, a replay or a trial: the new id, or why not.</summary>
public sealed record EvaluationStart(EvaluationStartOutcome Outcome, Guid? Id = null, string? Message = null)
{
    public static EvaluationStart NotFound(string message) => new(EvaluationStartOutcome.NotFound, null, message);

    public static EvaluationStart Invalid(string message) => new(EvaluationStartOutcome.Invalid, null, message);
}
