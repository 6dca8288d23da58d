using Microsoft.Data.Sqlite;

namespace AgentConsole.Benchmarks.Reliability;

/// <summary>
/// Proves the effect counter of R1/R2 on a small database whose answers are known: a sandbox table with one matched
/// effect, one duplicated, one without a journal entry and one of an interrupted call (this build has no sandbox
/// connector tables yet, so the crash runs alone could not show that the counter finds anything).
/// </summary>
internal static class SandboxEffectsSelfCheck
{
    public static (bool Passed, string Report) Run()
    {
        var path = Path.Combine(Path.GetTempPath(), $"effects-selfcheck-{Guid.NewGuid():N}.db");
        try
        {
            using var db = new SqliteConnection($"Data Source={path};Pooling=False");
            db.Open();
            using (var command = db.CreateCommand())
            {
                // The columns of the real RunSteps the counter reads; RunIds in upper and lower case as different writers store them.
                command.CommandText = """
                    CREATE TABLE RunSteps (RunId TEXT, CallId TEXT, ToolName TEXT, InFlight INTEGER, IsError INTEGER, Title TEXT);
                    CREATE TABLE SandboxThings (Id INTEGER PRIMARY KEY, RunId TEXT NULL, CallId TEXT, IdempotencyKey TEXT UNIQUE, Payload TEXT);
                    CREATE TABLE NotAnEffectTable (RunId TEXT, CallId TEXT);
                    INSERT INTO RunSteps VALUES ('AAAAAAAA-0000-0000-0000-000000000001', 'c1', 'make_thing', 0, 0, 'make_thing done');
                    INSERT INTO RunSteps VALUES ('AAAAAAAA-0000-0000-0000-000000000002', 'c1', 'make_thing', 0, 0, 'make_thing done');
                    INSERT INTO RunSteps VALUES ('AAAAAAAA-0000-0000-0000-000000000004', 'c1', 'make_thing', 0, 1, 'make_thing interrupted: outcome unknown, not performed again');
                    INSERT INTO SandboxThings (RunId, CallId, IdempotencyKey) VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'c1', 'k1');
                    INSERT INTO SandboxThings (RunId, CallId, IdempotencyKey) VALUES ('AAAAAAAA-0000-0000-0000-000000000002', 'c1', 'k2');
                    INSERT INTO SandboxThings (RunId, CallId, IdempotencyKey) VALUES ('AAAAAAAA-0000-0000-0000-000000000002', 'c1', 'k2-again');
                    INSERT INTO SandboxThings (RunId, CallId, IdempotencyKey) VALUES ('AAAAAAAA-0000-0000-0000-000000000003', 'c1', 'k3');
                    INSERT INTO SandboxThings (RunId, CallId, IdempotencyKey) VALUES ('AAAAAAAA-0000-0000-0000-000000000004', 'c1', 'k4');
                    INSERT INTO SandboxThings (RunId, CallId, IdempotencyKey) VALUES (NULL, 'tools-page', 'k5');
                    """;
                command.ExecuteNonQuery();
            }

            var found = SandboxEffects.Count(db);
            var expected = new SandboxEffects(["SandboxThings"], Effects: 5, Matched: 1, WithoutJournal: 1, Duplicates: 1, OfInterruptedCalls: 1);
            var passed = found.Tables.SequenceEqual(expected.Tables) && found with { Tables = expected.Tables } == expected;
            return (passed, $"expected {Show(expected)}\nfound    {Show(found)}\n{(passed ? "passed" : "FAILED")}\n");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static string Show(SandboxEffects e) =>
        $"tables [{string.Join(", ", e.Tables)}], effects {e.Effects}, matched {e.Matched}, without journal {e.WithoutJournal}, duplicates {e.Duplicates}, interrupted {e.OfInterruptedCalls}";
}
