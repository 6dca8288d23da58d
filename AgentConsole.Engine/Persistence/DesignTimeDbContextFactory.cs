using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the web host. SQLite by default; with
/// <c>AGENTCONSOLE_MIGRATIONS_PROVIDER=Postgres</c> it builds PostgreSQL's (add those with
/// <c>--output-dir Persistence/Migrations/Postgres --namespace AgentConsole.Engine.Persistence.Migrations.Postgres</c>).
/// No database is opened either way.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AgentConsoleDbContext>
{
    public AgentConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AgentConsoleDbContext>()
            .UseAppDatabase(
                string.Equals(Environment.GetEnvironmentVariable("AGENTCONSOLE_MIGRATIONS_PROVIDER"), "Postgres", StringComparison.OrdinalIgnoreCase)
                    ? DatabaseProvider.Postgres
                    : DatabaseProvider.Sqlite,
                string.Equals(Environment.GetEnvironmentVariable("AGENTCONSOLE_MIGRATIONS_PROVIDER"), "Postgres", StringComparison.OrdinalIgnoreCase)
                    ? "Host=localhost;Database=design"
                    : "Data Source=design.db")
            .Options);
}
