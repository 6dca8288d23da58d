namespace AgentConsole.Engine.Evaluations;

/// <summary>One case's outcome in an evaluation (for a replay: Passed = unchanged, Failed = changed).</summary>
public enum CaseVerdict
{
    Pending,
    Passed,
    Failed,

    /// <summary>The case could not be run (bad input, the run failed inside the engine).</summary>
    Error,
}
