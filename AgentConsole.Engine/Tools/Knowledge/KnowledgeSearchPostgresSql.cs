namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// PostgreSQL's knowledge search index, the counterpart of <see cref="KnowledgeSearchSql"/>'s FTS5 table: a generated
/// tsvector over Title (weight A), HeadingPath (B) and Text (C) with a GIN index, called from the end of the PostgreSQL
/// migration (<c>migrationBuilder.Sql(KnowledgeSearchPostgresSql.CreateSql)</c>). The text is tokenised as FTS5's
/// unicode61 does (accents removed, runs of letters and digits; see AuditSearchSql) and stemmed by the 'english'
/// configuration, as FTS5's porter tokenizer stems: "refunds" finds "refund".
/// </summary>
public static class KnowledgeSearchPostgresSql
{
    public const string CreateSql = """
        CREATE FUNCTION "KnowledgeSearchText"(value text) RETURNS text
          LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
          RETURN lower(regexp_replace(regexp_replace(normalize(value, NFD), '[\u0300-\u036f]+', '', 'g') COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g'));

        ALTER TABLE "KnowledgeChunks" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', "KnowledgeSearchText"("Title")), 'A')
          || setweight(to_tsvector('english', "KnowledgeSearchText"("HeadingPath")), 'B')
          || setweight(to_tsvector('english', "KnowledgeSearchText"("Text")), 'C')) STORED;

        CREATE INDEX "IX_KnowledgeChunks_SearchVector" ON "KnowledgeChunks" USING GIN ("SearchVector");
        """;

    public const string DropSql = """
        DROP INDEX IF EXISTS "IX_KnowledgeChunks_SearchVector";
        ALTER TABLE "KnowledgeChunks" DROP COLUMN IF EXISTS "SearchVector";
        DROP FUNCTION IF EXISTS "KnowledgeSearchText"(text);
        """;

    /// <summary>
    /// Best passages first, with the weights of FTS5's bm25 (title 2, heading 1.5, text 1, scaled to ts_rank's 0..1: 1, 0.75, 0.5, listed D, C,
    /// B, A). The score is negated so that, as with bm25, lower is better. Each term of the question is a phrase
    /// (<c>@t0</c>, <c>@t1</c>, ...), any of which may match, joined where <see cref="TermsPlaceholder"/> stands.
    /// </summary>
    internal const string RankSql = """
        WITH q AS (SELECT {terms} AS query)
        SELECT c."Id", -ts_rank('{0.05, 0.5, 0.75, 1.0}', c."SearchVector", q.query) AS score,
          ts_headline('english', c."Text", q.query, 'StartSel=**, StopSel=**, MaxWords=24, MinWords=8, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "')
        FROM "KnowledgeChunks" c CROSS JOIN q
        WHERE c."SearchVector" @@ q.query AND c."AgentKey" = @agent
        ORDER BY score, c."Id"
        LIMIT @limit
        """;

    internal const string TermsPlaceholder = "{terms}";

    internal static string Term(int index) => $"phraseto_tsquery('english', \"KnowledgeSearchText\"(@t{index}))";
}
