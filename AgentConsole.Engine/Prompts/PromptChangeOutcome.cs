namespace AgentConsole.Engine.Prompts;

public enum PromptChangeOutcome
{
    Done,
    NotFound,

    /// <summary>Someone saved the version after the caller read it, or it is no longer a draft.</summary>
    Conflict,
    Invalid,

    /// <summary>The publish gate is not met and no Admin override was given.</summary>
    GateRefused,

    /// <summary>Only an Admin may override the publish gate.</summary>
    Forbidden,
}
