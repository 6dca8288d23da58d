namespace AgentConsole.Engine.Tools;

/// <summary>Whether a tool only reads or also changes something.</summary>
public enum ToolAccess
{
    Read,
    Write,
}
