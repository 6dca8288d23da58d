using System.Text.Json.Nodes;
using AgentConsole.Engine;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// A real engine host (SQLite files, migrations, demo workspace, audit) without a Hangfire server: tests start runs
/// through <see cref="AgentRuns"/> and execute them with <see cref="RunExecutor"/> themselves, so they decide when a
/// job runs, is killed or runs again. Several hosts over the same folder act as restarts of one installation.
/// </summary>
public sealed class RunHost : IAsyncDisposable
{
    private readonly IHost _host;

    private RunHost(IHost host, string folder, FakeTimeProvider? time)
    {
        (_host, Folder, Time) = (host, folder, time);
    }

    public string Folder { get; }

    public FakeTimeProvider? Time { get; }

    public IServiceProvider Services => _host.Services;

    public AgentRuns Runs => Services.GetRequiredService<AgentRuns>();

    public RunExecutor Executor => Services.GetRequiredService<RunExecutor>();

    public EscalationResolver Escalations => Services.GetRequiredService<EscalationResolver>();

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-runs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static Task<RunHost> StartAsync(string? folder = null, FakeTimeProvider? time = null, params (string Key, string? Value)[] settings) =>
        StartAsync(folder, time, services: null, settings);

    /// <summary>As <see cref="StartAsync(string?, FakeTimeProvider?, Action{IServiceCollection}?, ValueTuple{string, string?}[])"/>, services first.</summary>
    public static Task<RunHost> StartWithAsync(Action<IServiceCollection>? services, string? folder = null, FakeTimeProvider? time = null, params (string Key, string? Value)[] settings) =>
        StartAsync(folder, time, services, settings);

    /// <summary>A host with extra services (e.g. a test-only connector) registered before the engine's.</summary>
    public static async Task<RunHost> StartAsync(string? folder, FakeTimeProvider? time, Action<IServiceCollection>? services, params (string Key, string? Value)[] settings)
    {
        folder ??= NewFolder();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, Args = [] });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(await DatabaseSettingsAsync(folder));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentConsole:Jobs:RunServer"] = "false",
            ["AgentConsole:Audit:KeyFile"] = Path.Combine(folder, "audit-hmac.key"),
            // The host runs as Production with the key file beside the database, which production refuses by default.
            ["AgentConsole:Audit:AllowKeyFileInDataFolder"] = "true",
            ["AgentConsole:Bootstrap:AdminPassword"] = "Admin-Pass-2026!",
            ["AgentConsole:Demo:UserPassword"] = "Demo-Pass-2026!",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
        builder.Services.AddSingleton(new FirstRunNotice(TextWriter.Null));
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        services?.Invoke(builder.Services);
        builder.AddAgentEngine();
        var host = builder.Build();
        await host.StartAsync();
        return new RunHost(host, folder, time);
    }

    /// <summary>
    /// The folder's databases: SQLite files in it, or (when the tests run on PostgreSQL, see <see cref="Persistence.TestProvider"/>)
    /// a database of the shared test server whose connection string the folder remembers, so a second host over the same
    /// folder is a restart of the same installation on either provider.
    /// </summary>
    public static async Task<Dictionary<string, string?>> DatabaseSettingsAsync(string folder)
    {
        if (!Persistence.TestProvider.IsPostgres)
        {
            return new()
            {
                ["ConnectionStrings:AgentConsole"] = $"Data Source={Path.Combine(folder, "agentconsole.db")}",
                ["ConnectionStrings:Hangfire"] = $"Data Source={Path.Combine(folder, "hangfire.db")}",
            };
        }

        var remembered = Path.Combine(folder, "postgres.connection");
        string connection;
        if (File.Exists(remembered))
        {
            connection = await File.ReadAllTextAsync(remembered);
        }
        else
        {
            connection = await Persistence.SharedPostgres.NewAppDatabaseAsync("run");
            await File.WriteAllTextAsync(remembered, connection);
        }

        return new()
        {
            ["AgentConsole:Database:Provider"] = "Postgres",
            ["ConnectionStrings:AgentConsole"] = connection,
            ["ConnectionStrings:Hangfire"] = connection,
            // Every instance of a PostgreSQL installation reads the audit key from configuration.
            ["AgentConsole:Audit:HmacKey"] = "run-host-audit-key-0123456789abcdefghijklmnop",
        };
    }

    /// <summary>Settings that put a host on SQLite files in <paramref name="folder"/> whatever the test provider (for tests about SQLite itself).</summary>
    public static (string, string?)[] OnSqlite(string folder) =>
    [
        ("AgentConsole:Database:Provider", "Sqlite"),
        ("ConnectionStrings:AgentConsole", $"Data Source={Path.Combine(folder, "agentconsole.db")}"),
        ("ConnectionStrings:Hangfire", $"Data Source={Path.Combine(folder, "hangfire.db")}"),
    ];

    /// <summary>Settings that add an OpenAI-compatible provider called <paramref name="name"/> at <paramref name="endpoint"/>.</summary>
    public static (string, string?)[] Provider(Uri endpoint, string name = "fake", decimal inputPrice = 1m, decimal outputPrice = 2m, int timeoutSeconds = 30) =>
    [
        ($"AgentConsole:Models:Providers:{name}:Kind", "OpenAI"),
        ($"AgentConsole:Models:Providers:{name}:Endpoint", endpoint.ToString()),
        ($"AgentConsole:Models:Providers:{name}:ApiKey", "sk-test-key-not-a-real-secret-000000"),
        ($"AgentConsole:Models:Providers:{name}:Model", "test-model"),
        ($"AgentConsole:Models:Providers:{name}:InputPricePerMillion", inputPrice.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"AgentConsole:Models:Providers:{name}:OutputPricePerMillion", outputPrice.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"AgentConsole:Models:Providers:{name}:TimeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"AgentConsole:Models:Providers:{name}:MaxRetries", "0"),
    ];

    public async Task<Agent> CreateAgentAsync(AgentDefinition definition)
    {
        var result = await Services.GetRequiredService<AgentCatalog>().CreateAsync(definition, "tests@agentconsole.local");
        return result.Agent ?? throw new InvalidOperationException(string.Join("; ", result.Errors.SelectMany(e => e.Value)));
    }

    /// <summary>Changes the demo agent (its decision table stays bound to it).</summary>
    public async Task UpdateDemoAgentAsync(Action<AgentDefinition> change)
    {
        var catalog = Services.GetRequiredService<AgentCatalog>();
        var definition = AgentDefinition.From((await catalog.FindAsync(Engine.Demo.DemoWorkspace.LeadRouterKey))!);
        change(definition);
        var result = await catalog.UpdateAsync(Engine.Demo.DemoWorkspace.LeadRouterKey, definition, null, "tests@agentconsole.local");
        if (result.Outcome != AgentSaveOutcome.Saved)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        }
    }

    public async Task<Guid> StartRunAsync(string agentKey, string inputJson)
    {
        var result = await Runs.StartAsync(agentKey, JsonNode.Parse(inputJson)!.AsObject(), "tests@agentconsole.local");
        return result.RunId ?? throw new InvalidOperationException($"{result.Outcome}: {result.Message} {string.Join("; ", result.Errors?.SelectMany(e => e.Value) ?? [])}");
    }

    public async Task<RunDetail> ExecuteAsync(Guid runId, CancellationToken ct = default)
    {
        await Executor.ExecuteAsync(runId, ct);
        return (await Runs.GetAsync(runId, CancellationToken.None))!;
    }

    public async Task<T> QueryAsync<T>(Func<AgentConsoleDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a handle for a moment; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>The installation folders a test class created, deleted when the class is done with them.</summary>
public sealed class RunFolders : IDisposable
{
    private readonly List<string> _folders = [];

    public string New()
    {
        var folder = RunHost.NewFolder();
        _folders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            RunHost.DeleteFolder(folder);
        }
    }
}
