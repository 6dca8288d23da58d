namespace AgentConsole.Engine.Tools;

/// <summary>
/// What a grant lets an agent do with a tool: <see cref="Read"/> limits a tool that can also write (e.g. the HTTP API
/// tool to GET) to its reading calls; <see cref="Write"/> allows everything the tool declares.
/// </summary>
public enum ToolScope
{
    Read,
    Write,
}
