using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AgentConsole.Benchmarks.Audit;

/// <summary>
/// The baseline: the same searches as hand-written SQL on one open connection with a plain
/// <see cref="SqliteCommand"/> — FTS5 MATCH joined to AuditEvents, the same filters, newest first, LIMIT 51 —
/// reading every column the API returns. No DbContext, no query builder, no object mapping.
/// </summary>
internal sealed class DirectSearch : IAsyncDisposable
{
    private const string Columns =
        "e.Sequence, e.Timestamp, e.ActorType, e.Actor, e.Category, e.Action, e.AgentKey, e.RunId, e.Summary, e.Payload, e.Hash";

    private readonly SqliteConnection _connection;

    private DirectSearch(SqliteConnection connection) => _connection = connection;

    public static async Task<DirectSearch> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        return new DirectSearch(connection);
    }

    /// <param name="windowBounds">
    /// Also narrow the FTS5 scan to the date window's lowest and highest sequence, as AuditSearch does for small
    /// windows: the second baseline, which isolates the API's own overhead from its query shape.
    /// </param>
    public static string Sql(SearchCase c, bool count = false, bool windowBounds = false)
    {
        // With the bounds, a plain JOIN lets SQLite drive from the AgentKey index and probe FTS5 row by row (and sort);
        // AuditSearch writes CROSS JOIN to keep FTS5 the outer loop, and so does this baseline. Without the bounds
        // both forms get the same plan (FTS5 outer), so the plain baseline keeps the plain JOIN.
        var window = string.Join(" AND ", new[] { c.Query.From is null ? null : "Timestamp >= $from", c.Query.To is null ? null : "Timestamp <= $to" }.OfType<string>());
        windowBounds &= window.Length > 0;
        var sql = new StringBuilder(windowBounds ? $"WITH w(lo, hi) AS MATERIALIZED (SELECT MIN(Sequence), MAX(Sequence) FROM AuditEvents WHERE {window}) " : "")
            .Append("SELECT ").Append(count ? "COUNT(*)" : Columns)
            .Append(" FROM AuditSearch s ").Append(windowBounds ? "CROSS JOIN" : "JOIN")
            .Append(" AuditEvents e ON e.Sequence = s.rowid WHERE AuditSearch MATCH $q");
        if (c.Query.Agent is not null)
        {
            sql.Append(" AND e.AgentKey = $agent");
        }

        if (c.Query.From is not null)
        {
            sql.Append(" AND e.Timestamp >= $from");
        }

        if (c.Query.To is not null)
        {
            sql.Append(" AND e.Timestamp <= $to");
        }

        if (windowBounds)
        {
            sql.Append(" AND s.rowid >= (SELECT lo FROM w) AND s.rowid <= (SELECT hi FROM w)");
        }

        if (!count)
        {
            sql.Append(CultureInfo.InvariantCulture, $" ORDER BY s.rowid DESC LIMIT {c.Query.Limit + 1}");
        }

        return sql.ToString();
    }

    /// <summary>Runs the search and returns the sequence numbers of the page (at most Limit + 1 rows, as the API reads).</summary>
    public async Task<List<long>> RunAsync(SearchCase c, CancellationToken ct, bool windowBounds = false)
    {
        await using var command = Command(Sql(c, windowBounds: windowBounds), c);
        var sequences = new List<long>(c.Query.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sequences.Add(reader.GetInt64(0));
            _ = reader.GetInt64(1);
            _ = reader.GetString(2);
            _ = reader.GetString(3);
            _ = reader.GetString(4);
            _ = reader.GetString(5);
            _ = reader.IsDBNull(6) ? null : reader.GetString(6);
            _ = reader.IsDBNull(7) ? null : reader.GetString(7);
            _ = reader.GetString(8);
            _ = reader.GetString(9);
            _ = reader.GetString(10);
        }

        return sequences;
    }

    public async Task<long> CountAsync(SearchCase c, CancellationToken ct)
    {
        await using var command = Command(Sql(c, count: true), c);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<string>> PlanAsync(SearchCase c, CancellationToken ct, bool windowBounds = false)
    {
        await using var command = Command("EXPLAIN QUERY PLAN " + Sql(c, windowBounds: windowBounds), c);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    public async Task<string> ScalarTextAsync(string sql, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "";
    }

    private SqliteCommand Command(string sql, SearchCase c)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$q", c.Match);
        if (c.Query.Agent is { } agent)
        {
            command.Parameters.AddWithValue("$agent", agent);
        }

        if (c.Query.From is { } from)
        {
            command.Parameters.AddWithValue("$from", from.UtcTicks);
        }

        if (c.Query.To is { } to)
        {
            command.Parameters.AddWithValue("$to", to.UtcTicks);
        }

        return command;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
