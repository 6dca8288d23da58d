namespace AgentConsole.Engine.Tools;

/// <summary>Whether a tool's effect stays inside the business or reaches people and systems outside it.</summary>
public enum ToolReach
{
    Internal,
    External,
}
