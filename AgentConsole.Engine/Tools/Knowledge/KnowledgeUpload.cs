namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>A document to add: the file's bytes as uploaded (must be UTF-8 text), its name and an optional title.</summary>
public sealed record KnowledgeUpload(string? Title, string FileName, byte[] Content);
