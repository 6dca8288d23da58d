namespace AgentConsole.Engine.Persistence;

/// <summary>
/// Bound from <c>AgentConsole:Database</c>. The connection strings are <c>ConnectionStrings:AgentConsole</c> and
/// <c>ConnectionStrings:Hangfire</c> for either provider: SQLite file paths, or PostgreSQL connection strings (which may
/// name the same database: Hangfire keeps its tables in its own schema).
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "AgentConsole:Database";

    /// <summary><c>Sqlite</c> (default, one instance) or <c>Postgres</c> (scale-out: several instances, one database).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL only: the schema Hangfire's tables live in.</summary>
    [System.ComponentModel.DataAnnotations.RegularExpression("^[a-z_][a-z0-9_]{0,62}$",
        ErrorMessage = "AgentConsole:Database:HangfireSchema must be a lower-case PostgreSQL identifier (letters, digits, underscores).")]
    public string HangfireSchema { get; set; } = "hangfire";

    /// <summary>Reads the provider without binding the options (wiring happens before the container exists).</summary>
    public static DatabaseProvider ProviderFrom(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var value = configuration[$"{Section}:{nameof(Provider)}"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new Microsoft.Extensions.Options.OptionsValidationException(Section, typeof(DatabaseOptions),
                [$"{Section}:{nameof(Provider)} is '{value}'; it must be Sqlite or Postgres."]);
    }
}
