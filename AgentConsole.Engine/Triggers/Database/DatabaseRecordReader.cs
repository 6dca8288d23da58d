using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools.Database;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace AgentConsole.Engine.Triggers.Database;

/// <summary>
/// Runs a polled query with the cursor as <c>@cursor</c> over a connection that cannot write: SQLite through
/// <see cref="SqliteReadOnlyQuery"/> (read-only file, query_only, no ATTACH/PRAGMA), PostgreSQL inside a
/// <c>READ ONLY</c> transaction that is rolled back. Both stop a statement at the timeout.
/// </summary>
internal static class DatabaseRecordReader
{
    public static string? ConnectionStringProblem(string provider, string connectionString)
    {
        try
        {
            if (provider == DatabaseRecordTriggerHandler.Postgres)
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                return string.IsNullOrWhiteSpace(builder.Host) ? "A PostgreSQL connection string names the server: Host=…;Database=…;Username=…;Password=…" : null;
            }

            var sqlite = new SqliteConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(sqlite.DataSource) || sqlite.DataSource.Contains(":memory:", StringComparison.OrdinalIgnoreCase)
                ? "A SQLite connection string names the database file: Data Source=/path/to/file.db"
                : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            return $"The connection string cannot be read: {ex.Message}";
        }
    }

    /// <summary>Up to <paramref name="maxRows"/> rows of the query, each as an object of its columns.</summary>
    public static async Task<List<JsonObject>> ReadAsync(string provider, string connectionString, string sql, JsonNode? cursor, int maxRows, TimeSpan timeout, TimeProvider time, CancellationToken ct) =>
        provider == DatabaseRecordTriggerHandler.Postgres
            ? await ReadPostgresAsync(connectionString, sql, cursor, maxRows, timeout, ct)
            : ReadSqlite(connectionString, sql, cursor, maxRows, timeout, time, ct);

    private static List<JsonObject> ReadSqlite(string connectionString, string sql, JsonNode? cursor, int maxRows, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        object? value = cursor is JsonValue v
            ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<double>(out var d) ? d : v.ToString()
            : null;
        var result = SqliteReadOnlyQuery.Run(connectionString, sql, new Dictionary<string, object?> { ["@cursor"] = value }, maxRows, timeout, time, ct);
        var columns = result["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        return [.. result["rows"]!.AsArray().Select(row =>
        {
            var record = new JsonObject();
            var cells = row!.AsArray();
            for (var i = 0; i < columns.Count; i++)
            {
                record[columns[i]] = cells[i]?.DeepClone();
            }

            return record;
        })];
    }

    private static async Task<List<JsonObject>> ReadPostgresAsync(string connectionString, string sql, JsonNode? cursor, int maxRows, TimeSpan timeout, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            CommandTimeout = Math.Max(1, (int)timeout.TotalSeconds),
            Timeout = Math.Clamp((int)timeout.TotalSeconds, 1, 1024),
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        var rows = new List<JsonObject>();
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            // Sent untyped, so the server reads the value as whatever the query compares it with (bigint, timestamptz, text).
            command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Unknown)
            {
                Value = cursor is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : DBNull.Value,
            });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (rows.Count < maxRows && await reader.ReadAsync(ct))
            {
                var record = new JsonObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    record[reader.GetName(i)] = Value(reader.GetValue(i));
                }

                rows.Add(record);
            }
        }

        await transaction.RollbackAsync(ct);
        return rows;
    }

    private static JsonNode? Value(object value) => value switch
    {
        DBNull => null,
        bool b => b,
        short s => s,
        int i => i,
        long l => l,
        decimal m => m,
        float f => float.IsFinite(f) ? f : f.ToString(CultureInfo.InvariantCulture),
        double d => double.IsFinite(d) ? d : d.ToString(CultureInfo.InvariantCulture),
        string s => s,
        DateTime t when t.Kind == DateTimeKind.Utc => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Guid g => g.ToString(),
        byte[] b => $"(blob, {b.Length:N0} bytes)",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
