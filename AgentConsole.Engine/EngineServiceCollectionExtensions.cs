using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Alerts;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Cluster;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Runs.Redaction;
using AgentConsole.Engine.Jobs;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Triggers;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Wires the engine: storage, identity stores, features, Hangfire and health checks.
    /// The host adds the UI, authentication and endpoints on top.
    /// </summary>
    public static IHostApplicationBuilder AddAgentEngine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var contentRoot = builder.Environment.ContentRootPath;
        ConfigurationFileWatching.PollInsteadOfWatching(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditKeyLocation>();
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ModelOptions>>(new ModelProviderBindingCheck(configuration));
        services.AddOptions<RunOptions>().BindConfiguration(RunOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RunDataOptions>().BindConfiguration(RunDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RedactionOptions>().BindConfiguration(RedactionOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.CustomPatterns.All(p => Redactor.ValidatePattern(p.Key, p.Value) is null), "AgentConsole:Redaction:CustomPatterns has an invalid name or regular expression.")
            .ValidateOnStart();

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = DatabaseOptions.ProviderFrom(configuration);
        var appConnection = provider == DatabaseProvider.Postgres
            ? AppDatabase.PostgresConnectionString(configuration, "AgentConsole")
            : SqlitePaths.ResolveConnectionString(
                SqlitePaths.ParseConfigured("AgentConsole", configuration.GetConnectionString("AgentConsole") ?? StorageOptions.DefaultConnectionString).ConnectionString, contentRoot);
        services.AddSingleton<AuditSignal>();
        services.AddSingleton<AuditOutboxInterceptor>();
        // Pooled: every run creates several short-lived contexts (the executor's, the decision look-up, the active-time
        // update, the sealer's), and building a context's internal services each time was a measurable share of a
        // run's CPU. A pooled context is reset (change tracker, options) when it goes back.
        services.AddPooledDbContextFactory<AgentConsoleDbContext>((sp, options) => options
            .UseAppDatabase(provider, appConnection, storage.BusyTimeoutMilliseconds)
            .AddInterceptors(sp.GetRequiredService<AuditOutboxInterceptor>(), sp.GetRequiredService<Monitoring.RunRollupInterceptor>()),
            poolSize: 256);

        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AgentConsoleDbContext>();
        // Identity's stores want a scoped DbContext; it comes from the same factory.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContext());

        services.TryAddSingleton(new FirstRunNotice(Console.Out));
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<AgentCatalog>();
        services.AddSingleton<Prompts.PromptCatalog>();
        services.AddSingleton<Agents.Documentation.AgentPromptSource>();
        services.AddSingleton<Agents.Documentation.AgentDocumentation>();
        services.AddSingleton<Agents.Scoping.AgentScopings>();
        services.AddSingleton<Agents.Scoping.AgentScorecards>();
        services.AddSingleton<DemoWorkspace>();
        services.AddSingleton<DecisionCatalog>();
        services.AddSingleton<DecisionWorkbench>();
        services.AddEvaluations();
        services.AddSingleton<DecisionImport>();
        services.AddSingleton<AuditKey>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditSearch>();
        services.AddTransient<AuditRetentionJob>();

        services.AddSingleton<ModelProviders>();
        services.AddSingleton<Redactors>();
        services.AddSingleton<RunNotifications>();
        services.AddSingleton<RunCancellations>();
        services.AddSingleton(sp => EngineInstance.Create(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RunOptions>>().Value.InstanceName, contentRoot));
        services.AddSingleton<RunRecovery>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<AgentRuns>();
        // Hosted services start in registration order: the migrations finish before the trigger inbox processor, the
        // notification dispatcher and the Hangfire server touch a table (on a fresh database they do not exist yet).
        services.AddHostedService<EngineStartup>();
        services.AddCluster(provider, appConnection);
        services.AddEscalations();
        services.AddSingleton<RunStatistics>();
        services.AddToolsAndConnectors();
        services.AddTriggers();
        services.AddNotifications();
        services.AddMonitoring();
        services.AddAlerts();
        services.AddTransient<ExecuteRunJob>();
        services.AddTransient<RunRecoveryJob>();
        services.AddTransient<RunDataRetentionJob>();

        // After the migrations, before the Hangfire server: a dead predecessor's runs are reclaimed first.
        services.AddHostedService<EngineInstanceHeartbeat>();

        services.AddHostedService<AuditSealer>();
        AddJobs(services, configuration, contentRoot);

        services.AddHealthChecks()
            .AddDbContextCheck<AgentConsoleDbContext>("database")
            .AddCheck<HangfireStorageHealthCheck>("hangfire")
            .AddCheck<AuditHealthCheck>("audit");
        return builder;
    }

    /// <summary>
    /// The storage's own connections, plus synchronous=NORMAL: under WAL a commit then no longer waits for an fsync,
    /// which is what bounds Hangfire on SQLite (a job is several commits). A power cut can lose the last commits but
    /// never corrupts the file, and runs are safe to execute twice, so a lost state change only repeats work.
    /// </summary>
    private static SQLite.SQLiteConnection OpenHangfireConnection(string file)
    {
        var connection = new SQLite.SQLiteConnection(file,
            SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.NoMutex, storeDateTimeAsTicks: true)
        {
            BusyTimeout = TimeSpan.FromSeconds(10),
        };
        connection.ExecuteScalar<string>("PRAGMA synchronous = NORMAL");
        return connection;
    }

    private static Hangfire.PostgreSql.PostgreSqlStorageOptions PostgresHangfireOptions(JobsOptions jobs, string schema) => new()
    {
        SchemaName = schema,
        QueuePollInterval = jobs.QueuePollInterval,
        InvisibilityTimeout = jobs.InvisibilityTimeout,
        PrepareSchemaIfNecessary = true,
        // Workers wait on LISTEN new_job instead of sleeping a poll interval: an enqueue on any instance wakes the
        // workers of every instance at once, and idle instances stop polling the queue table.
        EnableLongPolling = true,
        // A run still executing keeps its job invisible to other instances' workers (the lease guards the rest).
        UseSlidingInvisibilityTimeout = true,
    };

    private static void AddJobs(IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        // The storage is this host's own singleton: Hangfire would otherwise hand every host in the process the
        // static JobStorage.Current, so a second host (a test, a benchmark) would enqueue into the first one's queue.
        if (DatabaseOptions.ProviderFrom(configuration) == DatabaseProvider.Postgres)
        {
            // Several instances share this queue: a job is fetched by one worker cluster-wide (SELECT ... FOR UPDATE SKIP
            // LOCKED), recurring jobs fire once per schedule, and Hangfire's distributed locks are rows in this schema.
            var hangfirePostgres = AppDatabase.PostgresConnectionString(configuration, "Hangfire");
            var schema = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.HangfireSchema ?? "hangfire";
            services.AddSingleton<JobStorage>(_ => new Hangfire.PostgreSql.PostgreSqlStorage(
                new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(hangfirePostgres, PostgresHangfireOptions(jobs, schema)),
                PostgresHangfireOptions(jobs, schema)));
        }
        else
        {
            var hangfireConnection = configuration.GetConnectionString("Hangfire") ?? StorageOptions.DefaultHangfireConnectionString;
            var hangfireFile = SqlitePaths.ResolveFile(SqlitePaths.ParseConfigured("Hangfire", hangfireConnection).DataSource, contentRoot);
            services.AddSingleton<JobStorage>(_ => new SQLiteStorage(
                new SQLiteDbConnectionFactory(() => OpenHangfireConnection(hangfireFile)),
                new SQLiteStorageOptions
                {
                    QueuePollInterval = jobs.QueuePollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                }));
        }

        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>())
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>())));
        // Job activation from this host's container. Without it Hangfire falls back to its process-wide activator, which
        // keeps the first host configured in the process: a second host (a test, a benchmark) then resolved its jobs from
        // another host's container, disposed or not, and its runs stayed queued.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        // After the migrations (EngineStartup is registered earlier): schedules' recurring jobs follow their triggers.
        services.AddHostedService<Triggers.Schedules.ScheduleTriggerRegistration>();

        if (jobs.RunServer)
        {
            services.AddHangfireServer((sp, options) =>
            {
                options.WorkerCount = jobs.WorkerCount;
                options.Queues = [JobQueues.Default];
                options.Activator = sp.GetRequiredService<JobActivator>();
            });
            // A second server for the evaluations queue: its own workers, so evaluations never starve production runs.
            services.AddHangfireServer((sp, options) =>
            {
                options.ServerName = $"{Environment.MachineName}:evaluations:{Guid.NewGuid():N}";
                options.WorkerCount = jobs.EvaluationWorkerCount;
                options.Queues = [JobQueues.Evaluations];
                options.Activator = sp.GetRequiredService<JobActivator>();
            });
            services.AddHostedService<RecurringJobRegistration>();
        }
    }
}
