using AgentConsole.Engine.Tools.Knowledge;

namespace AgentConsole.Knowledge;

/// <summary>The stored document and a sentence saying what happened (passages, embeddings).</summary>
public sealed record KnowledgeUploadResponse(KnowledgeDocumentView Document, string Message);
