using Microsoft.Extensions.Configuration;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Persistence;

/// <summary>A real SQLite file with the checked-in migrations applied, plus the engine services that work on it.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _folder;

    private TestDatabase(string folder, ServiceProvider services)
    {
        _folder = folder;
        Services = services;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();

    public IDbContextFactory<AgentConsoleDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static bool IsPostgres => TestProvider.IsPostgres;

    /// <summary>Runs raw SQL against the database file, as someone with only database access could.</summary>
    public async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>A numbered audit entry ("Event number i") as the audit tests record them.</summary>
    public static AuditEntry NumberedEntry(int i, AuditCategory category = AuditCategory.Configuration) =>
        new(category, "test.event", AuditActor.User("owner@example.com"), $"Event number {i}", new { i, note = $"payload {i}" }, "lead-router");

    /// <summary>Records <paramref name="count"/> numbered entries in one batch and seals them.</summary>
    public async Task SeedAuditAsync(int count, Func<int, AuditCategory>? category = null)
    {
        await Get<AuditLog>().RecordBatchAsync(Enumerable.Range(1, count).Select(i => NumberedEntry(i, category?.Invoke(i) ?? AuditCategory.Configuration)));
        await Get<AuditChain>().SealPendingAsync();
    }

    public static readonly byte[] AuditKeyBytes = "test-audit-hmac-key-0123456789abcdef"u8.ToArray();

    public static async Task<TestDatabase> CreateAsync(Action<AuditOptions>? audit = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-unit", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connection = TestProvider.IsPostgres
            ? await SharedPostgres.NewAppDatabaseAsync("unit")
            : $"Data Source={Path.Combine(folder, "test.db")}";
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)))
            // The folder is the content root: files the engine keeps beside a database that is not a file land in it.
            .AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment
            {
                ContentRootPath = folder,
                EnvironmentName = "Production",
                ApplicationName = "AgentConsole.Tests",
            })
            .AddSingleton<AuditSignal>()
            .AddSingleton<AuditOutboxInterceptor>()
            .AddDbContextFactory<AgentConsoleDbContext>((sp, o) => o
                .UseAppDatabase(TestProvider.Current, connection)
                .AddInterceptors(sp.GetRequiredService<AuditOutboxInterceptor>()));
        services.AddOptions<AuditOptions>().Configure(o => audit?.Invoke(o));
        // Options bound from configuration (the connectors' own) read their defaults, except one: a connector test
        // classifies one attempt. Retries wait on this host's clock, a FakeTimeProvider nobody advances here, so a
        // retried call would wait forever; retries are the resilience tests' subject (on hosts whose clock they move).
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AgentConsole:Tools:Resilience:MaxRetries"] = "0" })
            .Build());
        services.AddSingleton(new AuditKey(AuditKeyBytes));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditSearch>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContext());
        services.AddIdentityCore<AppUser>(o => o.Password.RequiredLength = 10)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AgentConsoleDbContext>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<UserAdministration>();
        services.AddOptions<Engine.Models.ModelOptions>();
        services.AddSingleton<Engine.Models.ModelProviders>();
        services.AddToolsAndConnectors();
        services.AddSingleton<Engine.Agents.AgentCatalog>();
        services.AddSingleton<Engine.DecisionTables.DecisionCatalog>();
        var provider = services.BuildServiceProvider();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        return new TestDatabase(folder, provider);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans the temp folder.
        }
    }
}
