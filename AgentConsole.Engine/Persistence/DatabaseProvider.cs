namespace AgentConsole.Engine.Persistence;

/// <summary>Where the application and Hangfire keep their data.</summary>
public enum DatabaseProvider
{
    /// <summary>SQLite files beside the app: one instance, nothing to install. The default.</summary>
    Sqlite,

    /// <summary>PostgreSQL: several instances share one database and one Hangfire queue (scale-out).</summary>
    Postgres,
}
