using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Persistence;

/// <summary>
/// The engine's compiled queries on SQLite and PostgreSQL in one process (as the scale-out benchmark and the test
/// matrix have them): whichever provider runs first, the other's contexts still get answers, not "executed with a
/// different model than it was compiled against". Uses both providers whatever the test variable says.
/// </summary>
public sealed class PerModelQueryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentconsole-compiled", Guid.NewGuid().ToString("N"));

    public PerModelQueryTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task RunQueries_AnswerOnSqliteAndOnPostgres_InOneProcess()
    {
        var sqlite = Options(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_folder, "app.db")}");
        var postgres = Options(DatabaseProvider.Postgres, await SharedPostgres.NewDatabaseAsync("compiled"));

        foreach (var (options, name) in new[] { (sqlite, "on-sqlite"), (postgres, "on-postgres"), (sqlite, "again-on-sqlite") })
        {
            await using var db = new AgentConsoleDbContext(options);
            await db.Database.MigrateAsync();
            db.Agents.Add(new Agent { Id = Guid.NewGuid(), Key = name, Name = name, CreatedBy = "tests", UpdatedBy = "tests" });
            await db.SaveChangesAsync();

            var agent = await RunQueries.Agent(db, name, CancellationToken.None);

            Assert.Equal(name, agent?.Name);
        }
    }

    private static DbContextOptions<AgentConsoleDbContext> Options(DatabaseProvider provider, string connection) =>
        new DbContextOptionsBuilder<AgentConsoleDbContext>().UseAppDatabase(provider, connection).Options;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
