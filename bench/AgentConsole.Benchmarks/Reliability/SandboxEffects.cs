using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentConsole.Benchmarks.Reliability;

/// <summary>
/// Sandbox effects counted against the run journal, generically: every table with <c>RunId</c>, <c>CallId</c> and
/// <c>IdempotencyKey</c> columns (the convention of sandbox effect tables) holds one row per effect. An effect whose
/// (run, call) has no settled journal entry is lost or duplicated (performed by an execution whose record never
/// landed, then again); two rows for one journal entry are a duplicate. Effects of calls a kill interrupted and a
/// person was asked about are counted apart: they happened once and were not repeated.
/// </summary>
internal sealed record SandboxEffects(
    IReadOnlyList<string> Tables,
    long Effects,
    long Matched,
    long WithoutJournal,
    long Duplicates,
    long OfInterruptedCalls)
{
    public bool Passed => WithoutJournal == 0 && Duplicates == 0;

    public static SandboxEffects Count(SqliteConnection db)
    {
        var tables = new List<string>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = """
                SELECT m.name FROM sqlite_master m
                WHERE m.type = 'table'
                  AND (SELECT COUNT(*) FROM pragma_table_info(m.name) p WHERE p.name IN ('RunId', 'CallId', 'IdempotencyKey')) = 3
                ORDER BY m.name
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long effects = 0, matched = 0, withoutJournal = 0, duplicates = 0, interrupted = 0;
        foreach (var table in tables)
        {
            var quoted = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            // Guids may be stored in either case by different writers; compare them upper-cased.
            var perCall = $"""
                SELECT upper(e.RunId) AS RunId, e.CallId, COUNT(*) AS N,
                  (SELECT COUNT(*) FROM RunSteps s WHERE upper(s.RunId) = upper(e.RunId) AND s.CallId = e.CallId AND s.ToolName IS NOT NULL
                     AND s.InFlight = 0 AND s.IsError = 0) AS Journaled,
                  (SELECT COUNT(*) FROM RunSteps s WHERE upper(s.RunId) = upper(e.RunId) AND s.CallId = e.CallId AND s.ToolName IS NOT NULL
                     AND s.Title LIKE '% interrupted: outcome unknown%') AS Interrupted
                FROM {quoted} e WHERE e.RunId IS NOT NULL GROUP BY upper(e.RunId), e.CallId
                """;
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT COALESCE(SUM(N), 0), COALESCE(SUM(N > 1), 0), COALESCE(SUM(N = 1 AND Journaled = 1), 0), " +
                $"COALESCE(SUM(Journaled = 0 AND Interrupted = 0), 0), COALESCE(SUM(Journaled = 0 AND Interrupted > 0), 0) FROM ({perCall})";
            using var reader = command.ExecuteReader();
            reader.Read();
            effects += reader.GetInt64(0);
            duplicates += reader.GetInt64(1);
            matched += reader.GetInt64(2);
            withoutJournal += reader.GetInt64(3);
            interrupted += reader.GetInt64(4);
        }

        return new SandboxEffects(tables, effects, matched, withoutJournal, duplicates, interrupted);
    }

    public string Describe() => Tables.Count == 0
        ? "no sandbox effect tables in this build (none has RunId, CallId and IdempotencyKey columns): nothing to count"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Effects:N0} effects in {string.Join(", ", Tables)}; {Matched:N0} matched one journal entry each, {OfInterruptedCalls:N0} of interrupted calls (escalated)");
}
