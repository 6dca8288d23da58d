namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>The plain-language outcome of a 30-day pilot, in the practice guide's words.</summary>
public enum PilotVerdict
{
    /// <summary>No scoping or no pilot start date, or the start is still ahead.</summary>
    NotStarted,

    /// <summary>The pilot started but no run was created in its window yet.</summary>
    NoRuns,

    /// <summary>Expand the agent's scope or build the next one.</summary>
    ClearlyFavourable,

    /// <summary>Tighten the system prompt and rerun the pilot for another 30 days.</summary>
    Ambiguous,

    /// <summary>The numbers say the agent is not working.</summary>
    NotWorking,
}
