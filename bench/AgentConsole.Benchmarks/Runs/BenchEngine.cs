using System.Globalization;
using AgentConsole.Engine;
using AgentConsole.Engine.Access;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Benchmarks.Runs;

/// <summary>How the engine host of one measurement is configured; every measurement of a report states its own.</summary>
internal sealed record EngineSettings(int Workers, TimeSpan QueuePollInterval, Uri? ModelEndpoint = null, bool RunServer = true)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Workers} workers, queue poll {QueuePollInterval.TotalMilliseconds:0} ms");
}

/// <summary>
/// The engine exactly as the app wires it (<c>AddAgentEngine</c>: EF Core SQLite with the pragma interceptor,
/// migrations, the demo workspace, the audit outbox and sealer, Hangfire SQLite storage and an in-process server),
/// over a fresh temp folder, configured only through the same keys as appsettings.json.
/// </summary>
internal sealed class BenchEngine : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchEngine(IHost host, string folder) => (_host, Folder) = (host, folder);

    public string Folder { get; }

    public IServiceProvider Services => _host.Services;

    /// <param name="database">
    /// Settings that replace the SQLite files (e.g. <c>AgentConsole:Database:Provider=Postgres</c> and its connection
    /// strings); several engines given the same database act as instances of one scale-out installation.
    /// </param>
    public static async Task<BenchEngine> StartAsync(EngineSettings settings, CancellationToken ct, IReadOnlyDictionary<string, string?>? database = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-bench-runs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        // Errors only, to stderr: a failing run or a storage exception must be visible, progress noise must not.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:AgentConsole"] = $"Data Source={Path.Combine(folder, "agentconsole.db")}",
            ["ConnectionStrings:Hangfire"] = $"Data Source={Path.Combine(folder, "hangfire.db")}",
            ["AgentConsole:Jobs:RunServer"] = settings.RunServer ? "true" : "false",
            ["AgentConsole:Jobs:WorkerCount"] = settings.Workers.ToString(CultureInfo.InvariantCulture),
            ["AgentConsole:Jobs:QueuePollInterval"] = settings.QueuePollInterval.ToString("c", CultureInfo.InvariantCulture),
            ["AgentConsole:Audit:KeyFile"] = Path.Combine(folder, "audit-hmac.key"),
            // A throwaway folder: the key beside the database is fine here, though production refuses it by default.
            ["AgentConsole:Audit:AllowKeyFileInDataFolder"] = "true",
            ["AgentConsole:Bootstrap:AdminPassword"] = "Bench-Admin-Pass-2026!",
            ["AgentConsole:Demo:UserPassword"] = "Bench-Demo-Pass-2026!",
        };
        if (settings.ModelEndpoint is { } endpoint)
        {
            config["AgentConsole:Models:Default"] = "bench";
            config["AgentConsole:Models:Providers:bench:Kind"] = "OpenAI";
            config["AgentConsole:Models:Providers:bench:Endpoint"] = endpoint.ToString();
            config["AgentConsole:Models:Providers:bench:ApiKey"] = "sk-bench-key-not-a-real-secret-0000";
            config["AgentConsole:Models:Providers:bench:Model"] = "bench-model";
            config["AgentConsole:Models:Providers:bench:InputPricePerMillion"] = "0.15";
            config["AgentConsole:Models:Providers:bench:OutputPricePerMillion"] = "0.60";
            config["AgentConsole:Models:Providers:bench:MaxRetries"] = "0";
        }

        foreach (var (key, value) in database ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton(new FirstRunNotice(TextWriter.Null));
        builder.AddAgentEngine();
        var host = builder.Build();
        await host.StartAsync(ct);
        return new BenchEngine(host, folder);
    }

    public JobStorage Storage => Services.GetRequiredService<JobStorage>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may hold a handle a moment longer; the temp folder is the OS's to clean.
            }
        }
    }
}

/// <summary>The baseline's job: nothing but Hangfire's own work (enqueue, fetch, state changes, acknowledge).</summary>
public sealed class NoOpJob
{
#pragma warning disable CA1822 // Hangfire enqueues instance methods through the job activator, like the engine's own jobs.
    public void Run()
#pragma warning restore CA1822
    {
    }
}

/// <summary>
/// Counts jobs entering Succeeded or Failed, for whichever measurement is current. It runs inside the state
/// transaction just before its commit, so a job counts at the moment Hangfire records it as done.
/// </summary>
internal sealed class JobStateCounter : IApplyStateFilter
{
    public static readonly JobStateCounter Instance = new();
    private static int s_registered;
    private int _succeeded;
    private int _failed;
    private long _lastSucceededAt;

    public int Succeeded => Volatile.Read(ref _succeeded);
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Stopwatch timestamp of the latest success.</summary>
    public long LastSucceededAt => Interlocked.Read(ref _lastSucceededAt);

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            GlobalJobFilters.Filters.Add(Instance);
        }
    }

    public void Reset()
    {
        Volatile.Write(ref _succeeded, 0);
        Volatile.Write(ref _failed, 0);
        Interlocked.Exchange(ref _lastSucceededAt, 0);
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is SucceededState)
        {
            Interlocked.Exchange(ref _lastSucceededAt, System.Diagnostics.Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _succeeded);
        }
        else if (context.NewState is FailedState)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
