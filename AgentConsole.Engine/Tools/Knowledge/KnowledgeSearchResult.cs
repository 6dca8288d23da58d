namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>A search's passages, best first, and how they were ranked.</summary>
/// <param name="Documents">Documents in the agent's knowledge base (0: nothing to search).</param>
/// <param name="Ranking">How the ranking was made, in words (e.g. "BM25 only: no embedding model is configured").</param>
public sealed record KnowledgeSearchResult(
    KnowledgeSearchMode Mode,
    int Documents,
    string Ranking,
    IReadOnlyList<KnowledgeHit> Hits);
