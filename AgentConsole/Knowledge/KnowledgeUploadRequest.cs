namespace AgentConsole.Knowledge;

/// <summary>A document sent as JSON: the text itself, the file name it came from (its extension must be .md, .markdown or .txt) and an optional title.</summary>
public sealed record KnowledgeUploadRequest(string? Title, string? FileName, string? Content);
