using AgentConsole.Engine.Persistence;
using AgentConsole.Tests.Triggers.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AgentConsole.Tests.Persistence;

/// <summary>
/// One real PostgreSQL server for the whole test process (Debian's binaries, started on a free loopback port the first
/// time a test asks), with a fresh database per caller, so tests on PostgreSQL are as isolated as tests on their own
/// SQLite files. The server stops when the test process exits.
/// </summary>
public static class SharedPostgres
{
    private const string AppTemplate = "app_template";

    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<Task> Template = new(CreateAppTemplateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Creates an empty database and returns its connection string (pooled, as the app's are).</summary>
    public static Task<string> NewDatabaseAsync(string prefix = "t") => CreateAsync(prefix, template: null);

    /// <summary>
    /// A database with the application's migrations applied and Hangfire's schema installed, copied from a template
    /// migrated once per test process: migrating every test's database took most of a PostgreSQL test's time. The
    /// engine and the tests still run their migrations against it, and find nothing pending.
    /// </summary>
    public static async Task<string> NewAppDatabaseAsync(string prefix = "t")
    {
        await Template.Value;
        return await CreateAsync(prefix, AppTemplate);
    }

    private static async Task<string> CreateAsync(string prefix, string? template)
    {
        var server = await Server.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await server.ExecuteAsync(template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return Pooled(server, name);
    }

    private static string Pooled(PostgresServer server, string database) =>
        new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Database = database,
            Pooling = true,
            MaxPoolSize = 40,
            ConnectionIdleLifetime = 15,
            ConnectionPruningInterval = 5,
        }.ConnectionString;

    private static async Task CreateAppTemplateAsync()
    {
        var server = await Server.Value;
        await server.ExecuteAsync($"CREATE DATABASE \"{AppTemplate}\"");
        // Unpooled: a copy needs the template to have no open connection.
        var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = AppTemplate, Pooling = false }.ConnectionString;
        await using (var db = new AgentConsoleDbContext(new DbContextOptionsBuilder<AgentConsoleDbContext>().UseAppDatabase(DatabaseProvider.Postgres, connection).Options))
        {
            await db.Database.MigrateAsync();
        }

        await using var hangfire = new NpgsqlConnection(connection);
        await hangfire.OpenAsync();
        Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(hangfire, new DatabaseOptions().HangfireSchema);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        // Many hosts, each with its own pool, share the server: room for their connections.
        var server = new PostgresServer("-c max_connections=600 -c shared_buffers=64MB -c synchronous_commit=off");
        await server.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().GetAwaiter().GetResult();
        return server;
    }
}
