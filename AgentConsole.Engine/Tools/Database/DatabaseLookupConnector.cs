using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Tools.Database;

/// <summary>
/// Parameterised, read-only SQL against the connection's database. Writes are impossible by construction (a read-only
/// connection, see <see cref="SqliteReadOnlyQuery"/>), not by inspecting the SQL. Sandbox: the demo catalogue
/// (<see cref="SandboxCatalog"/>). Live: provider <c>Sqlite</c> with the secret <c>connectionString</c>.
/// </summary>
public sealed partial class DatabaseLookupConnector(
    SandboxCatalog catalog,
    IOptionsMonitor<DatabaseLookupOptions> options,
    TimeProvider time) : IConnector
{
    public const string ConnectorKey = "database";
    public const string ToolKey = "db_query";
    public const string ConnectionStringSecret = "connectionString";

    public string Key => ConnectorKey;

    public string Name => "Database lookup";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(ToolKey, "Query the database (read-only)",
            "Run one read-only SQL query (SQLite dialect) and get its columns and rows. Pass values as named parameters " +
            "(write :name in the SQL, give {\"name\": value} in parameters), never inside the SQL text. Writes are refused. " +
            "List the tables with: SELECT name, sql FROM sqlite_master WHERE type = 'table'.",
            """
            {"type":"object","properties":{
              "sql":{"type":"string","minLength":1,"maxLength":20000,"description":"One SELECT (or WITH … SELECT) statement"},
              "parameters":{"type":"object","description":"Named parameter values","additionalProperties":{"type":["string","number","boolean","null"]}}
            },"required":["sql"],"additionalProperties":false}
            """,
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectorKey),
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        var sql = toolCall.RequiredText("sql");
        var parameters = Parameters(toolCall.Arguments["parameters"]);
        var connection = toolCall.Connection;
        var settings = options.CurrentValue;
        var maxRows = Math.Clamp(connection.IntSetting("maxRows") ?? settings.MaxRows, 1, 10_000);
        var timeout = connection.IntSetting("timeoutSeconds") is { } seconds ? TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 600)) : settings.StatementTimeout;
        var connectionString = connection.Mode == ConnectionMode.Sandbox
            ? $"Data Source={await catalog.EnsureAsync(ct)}"
            : LiveConnectionString(connection);

        try
        {
            var result = SqliteReadOnlyQuery.Run(connectionString, sql, parameters, maxRows, timeout, time, ct);
            if (connection.Mode == ConnectionMode.Sandbox)
            {
                result["note"] ??= "Sandbox connection: the demo product catalogue (tables products, prices).";
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw Classify(ex);
        }
        catch (InvalidOperationException ex) when (ex is not ObjectDisposedException)
        {
            // Microsoft.Data.Sqlite's message for parameters named in the SQL but not given.
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"{ex.Message} Give every :name used in the SQL a value in parameters.", ex);
        }
    }

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct)
    {
        if (connection.Mode == ConnectionMode.Sandbox)
        {
            return Task.FromResult(ConnectionHealth.Healthy("Sandbox: the demo product catalogue, read-only."));
        }

        try
        {
            SqliteReadOnlyQuery.Run(LiveConnectionString(connection), "SELECT 1", new Dictionary<string, object?>(), 1, TimeSpan.FromSeconds(5), time, ct);
            return Task.FromResult(ConnectionHealth.Healthy("Connected read-only."));
        }
        catch (ToolCallException ex)
        {
            return Task.FromResult(ConnectionHealth.Unhealthy(ex.Message));
        }
        catch (SqliteException ex)
        {
            return Task.FromResult(ConnectionHealth.Unhealthy(Classify(ex).Message));
        }
    }

    private static string LiveConnectionString(ConnectionSnapshot connection)
    {
        var provider = connection.Setting("provider") ?? "Sqlite";
        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"Database connection '{connection.Key}': PostgreSQL is not supported yet (it comes with the scale-out work); use provider Sqlite.");
        }

        if (!provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new ToolCallException(ToolFailureKind.Permanent, $"Database connection '{connection.Key}': provider '{provider}' is unknown (Sqlite).");
        }

        var value = connection.Secret(ConnectionStringSecret)
            ?? throw new ToolCallException(ToolFailureKind.Permanent,
                $"Database connection '{connection.Key}' has no secret '{ConnectionStringSecret}'. An Admin can set it in Settings → Connections.");
        try
        {
            _ = new SqliteConnectionStringBuilder(value);
            return value;
        }
        catch (ArgumentException ex)
        {
            // The message would quote the connection string; it stays out of errors, steps and audit.
            throw new ToolCallException(ToolFailureKind.Permanent, $"Database connection '{connection.Key}': the connection string is malformed.", ex.InnerException);
        }
    }

    /// <summary>Named parameters as values SQLite binds; names are identifiers, values scalars.</summary>
    private static Dictionary<string, object?> Parameters(JsonNode? node)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (node is not JsonObject given)
        {
            return parameters;
        }

        foreach (var (raw, value) in given)
        {
            var name = raw.TrimStart(':', '@', '$');
            if (!ParameterName().IsMatch(name))
            {
                throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'{raw}' is not a parameter name (letters, digits, underscores).");
            }

            parameters[name] = value switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? 1L : 0L,
                JsonValue v when v.TryGetValue<long>(out var l) => l,
                JsonValue v when v.TryGetValue<double>(out var d) => d,
                _ => throw new ToolCallException(ToolFailureKind.InvalidArguments, $"Parameter '{raw}' must be a string, number, boolean or null."),
            };
        }

        return parameters;
    }

    /// <summary>The database's own refusal of a write is permanent; a query it cannot run is the model's to correct.</summary>
    private static ToolCallException Classify(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        8 => new(ToolFailureKind.Permanent, $"The database refused to write (this connection is read-only): {ex.Message}", ex) { Status = ex.SqliteErrorCode },
        23 => new(ToolFailureKind.Permanent, $"The database refused the statement (read-only connection: no ATTACH, DETACH or setting pragmas): {ex.Message}", ex) { Status = ex.SqliteErrorCode },
        5 or 6 => new(ToolFailureKind.Transient, $"The database is busy: {ex.Message}", ex) { Status = ex.SqliteErrorCode },
        14 or 26 => new(ToolFailureKind.Permanent, $"The database cannot be opened: {ex.Message}", ex) { Status = ex.SqliteErrorCode },
        _ => new(ToolFailureKind.InvalidArguments, $"The query failed: {ex.Message}", ex) { Status = ex.SqliteErrorCode },
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ParameterName();
}
