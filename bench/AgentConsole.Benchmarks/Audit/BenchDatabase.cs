using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Benchmarks.Audit;

/// <summary>
/// A real SQLite file in a temp folder with the checked-in migrations applied and the audit services wired the
/// way the app wires them (pragma interceptor, outbox interceptor, WAL), minus the web host.
/// Disposing it deletes the folder.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private static readonly byte[] KeyBytes = "benchmark-audit-hmac-key-0123456789abcdef"u8.ToArray();

    private readonly ServiceProvider _services;

    private BenchDatabase(string folder, string path, ServiceProvider services)
    {
        Folder = folder;
        DatabasePath = path;
        _services = services;
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public string ConnectionString => $"Data Source={DatabasePath}";

    public AuditLog Log => _services.GetRequiredService<AuditLog>();

    public AuditChain Chain => _services.GetRequiredService<AuditChain>();

    public AuditSearch Search => _services.GetRequiredService<AuditSearch>();

    public static async Task<BenchDatabase> CreateAsync(TimeProvider clock, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "audit-bench.db");
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(clock)
            .AddSingleton<AuditSignal>()
            .AddSingleton<AuditOutboxInterceptor>()
            .AddDbContextFactory<AgentConsoleDbContext>((sp, o) => o
                .UseAppDatabase(DatabaseProvider.Sqlite, $"Data Source={path}")
                .AddInterceptors(sp.GetRequiredService<AuditOutboxInterceptor>()));
        services.AddOptions<AuditOptions>();
        services.AddSingleton(new AuditKey(KeyBytes));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditSearch>();
        var provider = services.BuildServiceProvider();
        var database = new BenchDatabase(folder, path, provider);
        try
        {
            await using var db = await provider.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(ct);
            await db.Database.MigrateAsync(ct);
            // As EngineStartup does for the app: WAL is persistent, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        return database;
    }

    /// <summary>Database plus WAL file size in bytes.</summary>
    public long SizeOnDisk() =>
        new DirectoryInfo(Folder).EnumerateFiles("audit-bench.db*").Sum(f => f.Length);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open goes with the OS's temp cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
