using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentConsole.Engine.Tools.Database;

/// <summary>
/// Runs one parameterised query on a SQLite database that cannot be written through this connection, whatever the SQL
/// says: the file is opened read-only, <c>query_only</c> is on, and an authorizer refuses ATTACH, DETACH and every
/// pragma but the schema-reading ones (so the SQL cannot switch <c>query_only</c> off or attach a writable file).
/// A progress handler interrupts the statement at its timeout. No part of this inspects the SQL text.
/// </summary>
internal static class SqliteReadOnlyQuery
{
    private const int SqliteOk = 0;
    private const int SqliteDeny = 1;
    private const int SqlitePragma = 19;
    private const int SqliteAttach = 24;
    private const int SqliteDetach = 25;

    private static readonly HashSet<string> SchemaPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    };

    public static JsonObject Run(string connectionString, string sql, IReadOnlyDictionary<string, object?> parameters, int maxRows, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // Whatever the stored connection string asks for: read-only, never created, never shared with a writer's pool.
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA query_only = ON;";
            pragma.ExecuteNonQuery();
        }

        raw.sqlite3_set_authorizer(connection.Handle, Authorize, null);
        var started = time.GetTimestamp();
        var timedOut = false;
        raw.sqlite3_progress_handler(connection.Handle, 1_000, _ =>
        {
            timedOut = time.GetElapsedTime(started) > timeout;
            return timedOut || ct.IsCancellationRequested ? 1 : 0;
        }, null);

        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            using var reader = command.ExecuteReader();
            var columns = new JsonArray();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(reader.GetName(i));
            }

            var rows = new JsonArray();
            var truncated = false;
            while (reader.Read())
            {
                if (rows.Count == maxRows)
                {
                    truncated = true;
                    break;
                }

                var row = new JsonArray();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Add(Value(reader.GetValue(i)));
                }

                rows.Add(row);
            }

            var result = new JsonObject { ["columns"] = columns, ["rows"] = rows, ["rowCount"] = rows.Count };
            if (truncated)
            {
                result["truncated"] = true;
                result["note"] = $"Only the first {maxRows} rows are shown; narrow the query (WHERE, LIMIT, aggregates) to see the rest.";
            }

            return result;
        }
        catch (SqliteException ex) when ((ex.SqliteErrorCode & 0xFF) == 9)
        {
            ct.ThrowIfCancellationRequested();
            throw new ToolCallException(ToolFailureKind.InvalidArguments,
                timedOut ? $"The query ran longer than the {timeout.TotalSeconds:0.#} s statement timeout and was stopped; narrow it." : ex.Message, ex);
        }
        finally
        {
            raw.sqlite3_progress_handler(connection.Handle, 0, null, null);
            raw.sqlite3_set_authorizer(connection.Handle, (strdelegate_authorizer?)null, null);
        }
    }

    private static int Authorize(object userData, int actionCode, string param0, string param1, string dbName, string innerMostTriggerOrView) => actionCode switch
    {
        SqliteAttach or SqliteDetach => SqliteDeny,
        SqlitePragma => SchemaPragmas.Contains(param0 ?? "") ? SqliteOk : SqliteDeny,
        _ => SqliteOk,
    };

    private static JsonNode? Value(object value) => value switch
    {
        DBNull => null,
        long l => l,
        double d => double.IsFinite(d) ? d : d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string s => s,
        byte[] b => $"(blob, {b.Length:N0} bytes)",
        _ => value.ToString(),
    };
}
