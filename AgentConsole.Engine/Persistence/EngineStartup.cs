using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// Runs before the Hangfire server and the web server start: applies migrations, switches SQLite to WAL,
/// ensures the roles exist and, on an empty database, creates the first Admin and the demo workspace; one instance at
/// a time cluster-wide (<see cref="Cluster.ClusterLock.Startup"/>).
/// </summary>
internal sealed partial class EngineStartup(
    IServiceScopeFactory scopes,
    IOptions<StorageOptions> storage,
    IOptions<BootstrapOptions> bootstrap,
    IOptions<DemoOptions> demo,
    FirstRunNotice notice,
    ILogger<EngineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        // Instances starting together on PostgreSQL take turns: the first migrates and seeds, the others then find the
        // database ready (each step below checks before it writes), instead of racing to seed an empty database twice.
        await using var lockHolder = await services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(cancellationToken);
        await using var startupLock = await Cluster.ClusterLock.HoldAsync(lockHolder, Cluster.ClusterLock.Startup, cancellationToken);
        await using (var db = await services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            if (storage.Value.MigrateOnStartup)
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        // Every connection a registered tool names exists, in sandbox mode until an Admin switches it to live.
        await services.GetRequiredService<Tools.ConnectionStore>().EnsureDefaultsAsync(cancellationToken);
        // The built-in in-app channel exists from the start; Admins add e-mail and webhook channels.
        await services.GetRequiredService<Notifications.NotificationChannels>().EnsureDefaultsAsync(cancellationToken);
        if (demo.Value.Seed)
        {
            // Also on an existing database, so an upgrade gets the sandbox CRM's demo companies; never twice.
            await services.GetRequiredService<Tools.Crm.CrmSeed>().EnsureAsync(cancellationToken);
        }

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var userManager = services.GetRequiredService<UserManager<AppUser>>();
        if (await userManager.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        await BootstrapAsync(services, cancellationToken);
        if (demo.Value.Seed)
        {
            await services.GetRequiredService<DemoWorkspace>().SeedAsync(cancellationToken);
            LogDemoSeeded(logger);
        }

        notice.Flush();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task BootstrapAsync(IServiceProvider services, CancellationToken ct)
    {
        var options = bootstrap.Value;
        var created = await services.GetRequiredService<UserAdministration>()
            .CreateAsync(options.AdminEmail, "Administrator", [Roles.Admin], options.AdminPassword, "system", ct);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create the first Admin {options.AdminEmail}: {string.Join(" ", created.Errors)} Check AgentConsole:Bootstrap.");
        }

        if (created.GeneratedPassword is { } generated)
        {
            notice.Add(Roles.Admin, options.AdminEmail, generated);
        }

        LogAdminCreated(logger, options.AdminEmail);

        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            await services.GetRequiredService<ApiKeyService>().StoreAsync("Bootstrap key", Roles.Admin, options.ApiKey, "system", ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty database: created the first Admin {Email}")]
    private static partial void LogAdminCreated(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo workspace")]
    private static partial void LogDemoSeeded(ILogger logger);
}
