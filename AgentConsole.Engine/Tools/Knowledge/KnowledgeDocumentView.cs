namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>A document as lists show it (without its content).</summary>
public sealed record KnowledgeDocumentView(
    Guid Id,
    string AgentKey,
    string Title,
    string FileName,
    int SizeBytes,
    int ChunkCount,
    string? EmbeddingModel,
    string UploadedBy,
    DateTimeOffset UploadedAt)
{
    internal static KnowledgeDocumentView From(KnowledgeDocument d) =>
        new(d.Id, d.AgentKey, d.Title, d.FileName, d.SizeBytes, d.ChunkCount, d.EmbeddingModel, d.UploadedBy, d.UploadedAt);
}
