namespace AgentConsole.Engine.Prompts;

public enum DiffLineKind
{
    Same,
    Removed,
    Added,
}
