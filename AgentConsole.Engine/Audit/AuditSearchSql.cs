namespace AgentConsole.Engine.Audit;

/// <summary>
/// PostgreSQL's audit search index: a generated tsvector over Summary (weight A) and Payload (weight B) with a GIN
/// index, and the function that turns one typed word or phrase into a tsquery. Hand-written SQL lives here, not in the
/// migration, so a regenerated PostgreSQL migration calls it again (<c>migrationBuilder.Sql(AuditSearchSql.CreateSql)</c>).
/// <para>
/// It must find what SQLite's FTS5 table (unicode61, remove_diacritics 2) finds, so the text is tokenised the same way
/// before PostgreSQL's own parser sees it: canonically decomposed (NFD) with the combining accents removed ("Café" is
/// "cafe"), lower-cased, and every run of characters that are not letters or digits replaced by a space ("ann@example.com"
/// is "ann example com", "lead-router" is "lead router", JSON punctuation vanishes). Letters and digits come from ICU
/// (the "und-x-icu" collation), not from the database's locale, so the result does not depend on how the database was
/// created. The 'simple' configuration then keeps every word as it is (no stemming, no stop words). The weights only
/// keep a phrase inside one column, as FTS5 does: a multi-word phrase must match within Summary or within Payload.
/// </para>
/// </summary>
public static class AuditSearchSql
{
    public const string Column = "SearchVector";
    public const string TextFunction = "AuditSearchText";
    public const string TermFunction = "AuditSearchTerm";

    public const string CreateSql = """
        CREATE FUNCTION "AuditSearchText"(value text) RETURNS text
          LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
          RETURN lower(regexp_replace(regexp_replace(normalize(value, NFD), '[\u0300-\u036f]+', '', 'g') COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g'));

        CREATE FUNCTION "AuditSearchTerm"(term text, prefix boolean) RETURNS tsquery
          LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
          RETURN (SELECT CASE
              WHEN q::text NOT LIKE '%<->%' THEN (q::text || CASE WHEN prefix AND q::text <> '' THEN ':*' ELSE '' END)::tsquery
              ELSE ('(' || regexp_replace(q::text, '''([^'' ]+)''', '''\1'':A', 'g') || CASE WHEN prefix THEN '*' ELSE '' END || ') | ('
                     || regexp_replace(q::text, '''([^'' ]+)''', '''\1'':B', 'g') || CASE WHEN prefix THEN '*' ELSE '' END || ')')::tsquery
            END FROM phraseto_tsquery('simple', "AuditSearchText"(term)) q);

        ALTER TABLE "AuditEvents" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', "AuditSearchText"("Summary")), 'A') || setweight(to_tsvector('simple', "AuditSearchText"("Payload")), 'B')) STORED;

        CREATE INDEX "IX_AuditEvents_SearchVector" ON "AuditEvents" USING GIN ("SearchVector");
        """;

    public const string DropSql = """
        DROP INDEX IF EXISTS "IX_AuditEvents_SearchVector";
        ALTER TABLE "AuditEvents" DROP COLUMN IF EXISTS "SearchVector";
        DROP FUNCTION IF EXISTS "AuditSearchTerm"(text, boolean);
        DROP FUNCTION IF EXISTS "AuditSearchText"(text);
        """;
}
