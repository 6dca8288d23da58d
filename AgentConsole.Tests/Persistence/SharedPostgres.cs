using AgentConsole.Tests.Triggers.Database;
using Npgsql;

namespace AgentConsole.Tests.Persistence;

/// <summary>
/// One real PostgreSQL server for the whole test process (Debian's binaries, started on a free loopback port the first
/// time a test asks), with a fresh database per caller, so tests on PostgreSQL are as isolated as tests on their own
/// SQLite files. The server stops when the test process exits.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Creates an empty database and returns its connection string (pooled, as the app's are).</summary>
    public static async Task<string> NewDatabaseAsync(string prefix = "t")
    {
        var server = await Server.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await server.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Database = name,
            Pooling = true,
            MaxPoolSize = 40,
            ConnectionIdleLifetime = 15,
            ConnectionPruningInterval = 5,
        }.ConnectionString;
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
