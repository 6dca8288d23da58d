namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>The practice guide's rule of thumb on the annual manual cost of a stable workflow.</summary>
public enum ScopingFit
{
    /// <summary>Over $25,000 a year: an agent is probably worth exploring.</summary>
    WorthAnAgent,

    /// <summary>From $15,000 to $25,000: borderline.</summary>
    Borderline,

    /// <summary>Under $15,000 a year: plain workflow automation without agent intelligence may fit better.</summary>
    PlainAutomation,
}
