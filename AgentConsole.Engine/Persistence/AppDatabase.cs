using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// The one place that turns the configured provider into EF Core options: the engine, the tests and the benchmarks
/// all open the application database through it, so they run the same migrations on the same provider settings.
/// </summary>
public static class AppDatabase
{
    public const string PostgresProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static DbContextOptionsBuilder UseAppDatabase(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString,
        int busyTimeoutMilliseconds = 5_000)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(connectionString);
        }
        else
        {
            options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmaInterceptor(busyTimeoutMilliseconds));
        }

        return options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    public static DbContextOptionsBuilder<TContext> UseAppDatabase<TContext>(this DbContextOptionsBuilder<TContext> options, DatabaseProvider provider,
        string connectionString, int busyTimeoutMilliseconds = 5_000)
        where TContext : DbContext =>
        (DbContextOptionsBuilder<TContext>)UseAppDatabase((DbContextOptionsBuilder)options, provider, connectionString, busyTimeoutMilliseconds);

    public static bool IsPostgres(this Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database) =>
        database.ProviderName == PostgresProviderName;

    /// <summary>
    /// The PostgreSQL connection string configured as <c>ConnectionStrings:<paramref name="name"/></c>; a missing or
    /// malformed one is an <see cref="InvalidConfigurationException"/> naming the setting and the expected form.
    /// </summary>
    public static string PostgresConnectionString(IConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration.GetConnectionString(name);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new ArgumentException("it names no Host.");
            }

            return builder.ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidConfigurationException(
                $"ConnectionStrings:{name} must be a PostgreSQL connection string such as 'Host=db;Database=agentconsole;Username=agentconsole;Password=...' " +
                $"when AgentConsole:Database:Provider is Postgres ({(string.IsNullOrWhiteSpace(value) ? "it is not set" : e.Message.TrimEnd('.'))}).", e);
        }
    }
}
