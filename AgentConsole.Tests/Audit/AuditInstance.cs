using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Audit;

/// <summary>
/// The audit services of one app instance, on a database of the provider a test names (whatever
/// <see cref="TestProvider"/> says): two of them over one database are two instances sharing a chain.
/// </summary>
internal sealed class AuditInstance : IAsyncDisposable
{
    private AuditInstance(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public AuditLog Log => Services.GetRequiredService<AuditLog>();

    public AuditChain Chain => Services.GetRequiredService<AuditChain>();

    public AuditSearch Search => Services.GetRequiredService<AuditSearch>();

    public IDbContextFactory<AgentConsoleDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>();

    /// <summary>An empty database: a fresh one on the shared PostgreSQL server, or a new SQLite file.</summary>
    public static async Task<string> NewDatabaseAsync(DatabaseProvider provider) => provider == DatabaseProvider.Postgres
        ? await SharedPostgres.NewDatabaseAsync("audit")
        : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("agentconsole-audit-").FullName, "audit.db")}";

    /// <summary>Starts an instance; the first one over a database applies the migrations.</summary>
    public static async Task<AuditInstance> StartAsync(DatabaseProvider provider, string connection, FakeTimeProvider time)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<AuditSignal>()
            .AddSingleton<AuditOutboxInterceptor>()
            .AddDbContextFactory<AgentConsoleDbContext>((sp, o) => o
                .UseAppDatabase(provider, connection)
                .AddInterceptors(sp.GetRequiredService<AuditOutboxInterceptor>()));
        services.AddOptions<AuditOptions>();
        services.AddSingleton(new AuditKey(TestDatabase.AuditKeyBytes));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditSearch>();
        var instance = new AuditInstance(services.BuildServiceProvider());
        await using (var db = await instance.Contexts.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        return instance;
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
