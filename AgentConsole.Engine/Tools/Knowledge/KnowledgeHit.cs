namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>One ranked passage.</summary>
/// <param name="Rank">1 for the best.</param>
/// <param name="Snippet">The passage around the matched words (matches in **bold**), or its start when only embeddings found it.</param>
/// <param name="Score">BM25 (higher is better) in BM25 mode; the fused reciprocal-rank score in hybrid mode.</param>
/// <param name="KeywordRank">Its place in the BM25 ranking, if the words matched.</param>
/// <param name="SemanticRank">Its place by embedding similarity, in hybrid mode.</param>
public sealed record KnowledgeHit(
    int Rank,
    Guid DocumentId,
    string DocumentTitle,
    string HeadingPath,
    string Snippet,
    string Text,
    double Score,
    int? KeywordRank,
    int? SemanticRank);
