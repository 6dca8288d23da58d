namespace AgentConsole.Engine.Tools;

/// <summary>Names of the tools every agent has, whatever it is granted.</summary>
public static class BuiltInTools
{
    /// <summary>Hands the run to a person: the run pauses until a reviewer resolves the escalation.</summary>
    public const string Escalate = "escalate";

    /// <summary>Evaluates one of the agent's published decision tables with given inputs.</summary>
    public const string EvaluateDecision = "evaluate_decision";
}
