namespace AgentConsole.Engine.Tools.Knowledge;

public enum KnowledgeSearchMode
{
    /// <summary>FTS5 BM25 ranking only (no embedding model, or it failed for this search).</summary>
    Bm25,

    /// <summary>BM25 and embedding cosine similarity, fused by reciprocal rank.</summary>
    Hybrid,
}
