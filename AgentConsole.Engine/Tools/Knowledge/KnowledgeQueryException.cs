namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>The search text cannot be searched (empty, punctuation only, too long); the message says why.</summary>
public sealed class KnowledgeQueryException(string message) : Exception(message);
