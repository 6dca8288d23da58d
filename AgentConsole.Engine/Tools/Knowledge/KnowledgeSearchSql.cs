namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// The FTS5 index over <see cref="KnowledgeChunk"/>s, kept in step by triggers. Hand-written SQL lives here, not in the
/// migration, so a regenerated migration calls it again (<c>migrationBuilder.Sql(KnowledgeSearchSql.CreateSql)</c>).
/// Porter stemming on unicode61 tokens: "refunds" finds "refund", "shipping" finds "shipped".
/// </summary>
public static class KnowledgeSearchSql
{
    public const string Table = "KnowledgeSearch";

    public const string CreateSql = """
        CREATE VIRTUAL TABLE KnowledgeSearch USING fts5(Title, HeadingPath, Text, content='KnowledgeChunks', content_rowid='Id', tokenize='porter unicode61 remove_diacritics 2');
        CREATE TRIGGER KnowledgeChunks_AfterInsert AFTER INSERT ON KnowledgeChunks BEGIN
          INSERT INTO KnowledgeSearch(rowid, Title, HeadingPath, Text) VALUES (new.Id, new.Title, new.HeadingPath, new.Text);
        END;
        CREATE TRIGGER KnowledgeChunks_AfterDelete AFTER DELETE ON KnowledgeChunks BEGIN
          INSERT INTO KnowledgeSearch(KnowledgeSearch, rowid, Title, HeadingPath, Text) VALUES ('delete', old.Id, old.Title, old.HeadingPath, old.Text);
        END;
        CREATE TRIGGER KnowledgeChunks_AfterUpdate AFTER UPDATE OF Title, HeadingPath, Text ON KnowledgeChunks BEGIN
          INSERT INTO KnowledgeSearch(KnowledgeSearch, rowid, Title, HeadingPath, Text) VALUES ('delete', old.Id, old.Title, old.HeadingPath, old.Text);
          INSERT INTO KnowledgeSearch(rowid, Title, HeadingPath, Text) VALUES (new.Id, new.Title, new.HeadingPath, new.Text);
        END;
        """;

    public const string DropSql = """
        DROP TRIGGER IF EXISTS KnowledgeChunks_AfterUpdate;
        DROP TRIGGER IF EXISTS KnowledgeChunks_AfterDelete;
        DROP TRIGGER IF EXISTS KnowledgeChunks_AfterInsert;
        DROP TABLE IF EXISTS KnowledgeSearch;
        """;

    /// <summary>
    /// Best passages first. Weights: a word in the document title counts twice, in a heading one and a half times, in the
    /// text once. The agent filter is part of the statement, so another agent's chunks can never come back.
    /// </summary>
    internal const string RankSql = """
        SELECT c.Id, bm25(KnowledgeSearch, 2.0, 1.5, 1.0) AS score, snippet(KnowledgeSearch, 2, '**', '**', '…', 24)
        FROM KnowledgeSearch s CROSS JOIN KnowledgeChunks c ON c.Id = s.rowid
        WHERE KnowledgeSearch MATCH @q AND c.AgentKey = @agent
        ORDER BY score
        LIMIT @limit
        """;
}
