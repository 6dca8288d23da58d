using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Tools.Database;

/// <summary>Defaults of the database lookup connector; a connection's <c>maxRows</c> and <c>timeoutSeconds</c> settings override them.</summary>
public sealed class DatabaseLookupOptions
{
    public const string Section = "AgentConsole:Tools:Database";

    /// <summary>Rows returned per query; the rest are cut with a note.</summary>
    [Range(1, 10_000)]
    public int MaxRows { get; set; } = 200;

    /// <summary>How long one query may run before the database interrupts it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The sandbox demo database (a product catalogue and price list, created on first use); empty = sandbox-catalog.db
    /// beside the application database, or in the content root's data folder when the application database is PostgreSQL.
    /// </summary>
    public string SandboxDatabasePath { get; set; } = "";
}
