using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Audit;

/// <summary>A search over the audit log. Text uses <see cref="FtsQuery"/> syntax; <see cref="Before"/> is the keyset cursor.</summary>
public sealed record AuditQuery
{
    public string? Text { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Agent { get; init; }
    public string? Run { get; init; }

    /// <summary>Matches actors that start with this text (an email, "api-key:name", "system").</summary>
    public string? Actor { get; init; }

    public IReadOnlyList<AuditCategory> Categories { get; init; } = [];

    /// <summary>Return only events older than this sequence number (the previous page's cursor).</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = 50;
}

public sealed record AuditEventView(
    long Sequence,
    DateTimeOffset Timestamp,
    AuditActorType ActorType,
    string Actor,
    AuditCategory Category,
    string Action,
    string? AgentKey,
    string? RunId,
    string Summary,
    string Payload,
    string Hash);

public sealed record AuditPage(IReadOnlyList<AuditEventView> Events, long? NextCursor);

public enum AuditExportFormat
{
    Csv,
    JsonLines,
}

/// <summary>Thrown for a query that cannot be run as asked; the message is meant for the person who asked.</summary>
public sealed class AuditQueryException(string message) : Exception(message);

/// <summary>
/// Searches and exports sealed audit events with keyset paging, newest first; the text match is FTS5 on SQLite and a
/// tsvector on PostgreSQL (<see cref="AuditSql.TextMatch"/>), the same query syntax and the same results on both.
/// </summary>
public sealed class AuditSearch(DbContextOptions<AgentConsoleDbContext> contextOptions, IOptions<AuditOptions> options, AuditChain chain)
{
    // Contexts come from a pool over the application's context options (same connection string and interceptors):
    // a search only runs raw SQL on the context's connection, and setting up a fresh context's services cost about
    // as much as a typical FTS5 page query itself.
    private readonly PooledDbContextFactory<AgentConsoleDbContext> dbFactory = new(contextOptions);

    /// <summary>Windows estimated to hold more events than this are searched without sequence bounds.</summary>
    private const long WindowBoundLimit = 100_000;

    private const string Columns =
        "e.\"Sequence\", e.\"Timestamp\", e.\"ActorType\", e.\"Actor\", e.\"Category\", e.\"Action\", e.\"AgentKey\", e.\"RunId\", e.\"Summary\", e.\"Payload\", e.\"Hash\"";

    public int MaxPageSize => options.Value.MaxPageSize;

    public async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken ct = default)
    {
        if (query.Limit < 1 || query.Limit > options.Value.MaxPageSize)
        {
            throw new AuditQueryException($"limit must be between 1 and {options.Value.MaxPageSize}.");
        }

        await CatchUpAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = await BuildAsync(db.Database, query, descending: true, limit: query.Limit + 1, ct: ct);
        var events = new List<AuditEventView>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                events.Add(Read(reader));
            }
        }

        var more = events.Count > query.Limit;
        if (more)
        {
            events.RemoveAt(events.Count - 1);
        }

        return new AuditPage(events, more ? events[^1].Sequence : null);
    }

    /// <summary>
    /// Seals what is committed but still in the outbox, so a search sees every event committed before it was asked
    /// (the background sealer batches commits for a few milliseconds). With an empty outbox this is one indexed read.
    /// </summary>
    private Task<int> CatchUpAsync(CancellationToken ct) => chain.SealPendingAsync(ct);

    public async Task<AuditEventView?> FindAsync(long sequence, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = AuditChain.Command(db.Database.GetDbConnection(), null,
            $"SELECT {Columns} FROM \"AuditEvents\" e WHERE e.\"Sequence\" = @s", new AuditChain.SqlParam("@s", sequence));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public async Task<long> CountAsync(AuditQuery query, CancellationToken ct = default)
    {
        await CatchUpAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = await BuildAsync(db.Database, query with { Before = null }, descending: true, limit: null, count: true, ct: ct);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Writes every matching event, oldest first, straight from the database reader to <paramref name="output"/>;
    /// nothing is held in memory beyond one row.
    /// </summary>
    public async Task<long> ExportAsync(AuditQuery query, AuditExportFormat format, Stream output, CancellationToken ct = default)
    {
        await CatchUpAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = await BuildAsync(db.Database, query with { Before = null }, descending: false, limit: null, ct: ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        if (format == AuditExportFormat.Csv)
        {
            await writer.WriteLineAsync("sequence,timestamp,actorType,actor,category,action,agent,run,summary,payload,hash");
        }

        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            var e = Read(reader);
            await writer.WriteLineAsync(format == AuditExportFormat.Csv ? ToCsv(e) : ToJsonLine(e));
            if (++rows % 1_000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        await writer.FlushAsync(ct);
        return rows;
    }

    private static async Task<DbCommand> BuildAsync(
        DatabaseFacade database, AuditQuery query, bool descending, int? limit, bool count = false, CancellationToken ct = default)
    {
        var connection = database.GetDbConnection();
        var dialect = AuditSql.For(database);
        var fts = FtsQuery.Parse(query.Text);
        if (fts.Error is not null)
        {
            throw new AuditQueryException(fts.Error);
        }

        if (query.From is { } from && query.To is { } to && from > to)
        {
            throw new AuditQueryException("from must be before to.");
        }

        var boundByWindow = await IsSmallWindowAsync(connection, query, ct);
        var command = connection.CreateCommand();
        var sql = new StringBuilder();
        if (boundByWindow)
        {
            // The window's lowest and highest sequence, from one pass over its entries in the timestamp index.
            // Exact, and in the same statement (the same snapshot) as the search: every event in the window lies
            // between the two, so the newest-first scan starts at the window's newest event and stops at its oldest
            // instead of walking every newer and older match (FTS5 takes rowid ranges from its own index).
            var window = (query.From, query.To) switch
            {
                (null, _) => "\"Timestamp\" <= @to",
                (_, null) => "\"Timestamp\" >= @from",
                _ => "\"Timestamp\" >= @from AND \"Timestamp\" <= @to",
            };
            sql.Append(CultureInfo.InvariantCulture, $"WITH w(lo, hi) AS MATERIALIZED (SELECT MIN(\"Sequence\"), MAX(\"Sequence\") FROM \"AuditEvents\" WHERE {window}) ");
        }

        sql.Append(count ? "SELECT COUNT(*)" : $"SELECT {Columns}");
        var (fromWhere, key) = fts.Match is null ? (" FROM \"AuditEvents\" e WHERE 1 = 1", "e.\"Sequence\"") : dialect.TextMatch(command, fts);
        sql.Append(fromWhere);
        if (query.From is { } f)
        {
            sql.Append(" AND e.\"Timestamp\" >= @from");
            Add(command, "@from", f.UtcTicks);
        }

        if (query.To is { } t)
        {
            sql.Append(" AND e.\"Timestamp\" <= @to");
            Add(command, "@to", t.UtcTicks);
        }

        if (!string.IsNullOrWhiteSpace(query.Agent))
        {
            sql.Append(" AND e.\"AgentKey\" = @agent");
            Add(command, "@agent", query.Agent.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.Run))
        {
            sql.Append(" AND e.\"RunId\" = @run");
            Add(command, "@run", query.Run.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            sql.Append(" AND ").Append(dialect.ActorPrefix);
            Add(command, "@actor", query.Actor.Trim());
            Add(command, "@actorEnd", query.Actor.Trim() + "\uFFFF");
        }

        if (query.Categories.Count > 0)
        {
            var names = query.Categories.Distinct().Select((c, i) => (Name: $"@c{i}", Value: c.ToString())).ToList();
            sql.Append(" AND e.\"Category\" IN (").Append(string.Join(", ", names.Select(n => n.Name))).Append(')');
            foreach (var (name, value) in names)
            {
                Add(command, name, value);
            }
        }

        if (boundByWindow)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {key} >= (SELECT lo FROM w) AND {key} <= (SELECT hi FROM w)");
        }

        if (query.Before is { } before)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {key} < @before");
            Add(command, "@before", before);
        }

        if (!count)
        {
            sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {key} {(descending ? "DESC" : "ASC")}");
        }

        if (limit is { } n)
        {
            sql.Append(" LIMIT @limit");
            Add(command, "@limit", n);
        }

        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>
    /// Whether a From/To window holds few enough events that finding its lowest and highest sequence in the
    /// timestamp index (a scan of the window's index entries) costs less than the search may save with them.
    /// Events are sealed in the order they were recorded, so sequence follows time closely and the sequences of
    /// the window's oldest and newest events (two index seeks) estimate its size. Only speed depends on this.
    /// </summary>
    private static async Task<bool> IsSmallWindowAsync(DbConnection connection, AuditQuery query, CancellationToken ct)
    {
        if (query.From is null && query.To is null)
        {
            return false;
        }

        await using var edges = AuditChain.Command(connection, null,
            "SELECT (SELECT \"Sequence\" FROM \"AuditEvents\" WHERE \"Timestamp\" >= @from AND \"Timestamp\" <= @to ORDER BY \"Timestamp\" LIMIT 1), " +
            "(SELECT \"Sequence\" FROM \"AuditEvents\" WHERE \"Timestamp\" >= @from AND \"Timestamp\" <= @to ORDER BY \"Timestamp\" DESC LIMIT 1)",
            new AuditChain.SqlParam("@from", query.From?.UtcTicks ?? long.MinValue),
            new AuditChain.SqlParam("@to", query.To?.UtcTicks ?? long.MaxValue));
        await using var reader = await edges.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            && (reader.IsDBNull(0) || Math.Abs(reader.GetInt64(1) - reader.GetInt64(0)) < WindowBoundLimit);
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        if (value is null)
        {
            return;
        }

        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private static AuditEventView Read(DbDataReader r) => new(
        r.GetInt64(0),
        new DateTimeOffset(r.GetInt64(1), TimeSpan.Zero),
        Enum.TryParse<AuditActorType>(r.GetString(2), out var actorType) ? actorType : AuditActorType.System,
        r.GetString(3),
        Enum.TryParse<AuditCategory>(r.GetString(4), out var category) ? category : AuditCategory.Security,
        r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.GetString(8),
        r.GetString(9),
        r.GetString(10));

    private static string ToCsv(AuditEventView e) => string.Join(',',
        e.Sequence.ToString(CultureInfo.InvariantCulture),
        e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        e.ActorType.ToString(),
        Csv(e.Actor),
        e.Category.ToString(),
        Csv(e.Action),
        Csv(e.AgentKey),
        Csv(e.RunId),
        Csv(e.Summary),
        Csv(e.Payload),
        e.Hash);

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // A spreadsheet runs a cell that starts with one of these as a formula, and actors, summaries and run ids can
        // be chosen by whoever triggers an event: a leading apostrophe makes the cell text (OWASP "CSV injection").
        // JSON Lines stays exact for tools that need the stored values byte for byte.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static string ToJsonLine(AuditEventView e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", e.Sequence);
            writer.WriteString("timestamp", e.Timestamp);
            writer.WriteString("actorType", e.ActorType.ToString());
            writer.WriteString("actor", e.Actor);
            writer.WriteString("category", e.Category.ToString());
            writer.WriteString("action", e.Action);
            writer.WriteString("agent", e.AgentKey);
            writer.WriteString("run", e.RunId);
            writer.WriteString("summary", e.Summary);
            writer.WritePropertyName("payload");
            try
            {
                using var payload = JsonDocument.Parse(e.Payload);
                payload.RootElement.WriteTo(writer);
            }
            catch (JsonException)
            {
                writer.WriteStringValue(e.Payload);
            }

            writer.WriteString("hash", e.Hash);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
