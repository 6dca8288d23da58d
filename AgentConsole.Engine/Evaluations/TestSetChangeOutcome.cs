namespace AgentConsole.Engine.Evaluations;

public enum TestSetChangeOutcome
{
    Done,
    Invalid,
    NotFound,

    /// <summary>The change is valid but not now (e.g. deleting the default set while the agent has others).</summary>
    Conflict,
}
