using AgentConsole.Engine.Persistence;

namespace AgentConsole.Tests.Persistence;

/// <summary>
/// The provider the engine's integration tests run on: SQLite by default, PostgreSQL when
/// <c>AGENTCONSOLE_TEST_PROVIDER=Postgres</c> (scripts/test.sh runs the engine suites a second time that way: the test
/// matrix). Tests that are about one provider say so themselves and ignore this.
/// </summary>
public static class TestProvider
{
    public const string Variable = "AGENTCONSOLE_TEST_PROVIDER";

    public static DatabaseProvider Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable(Variable), "Postgres", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres
            : DatabaseProvider.Sqlite;

    public static bool IsPostgres => Current == DatabaseProvider.Postgres;
}
