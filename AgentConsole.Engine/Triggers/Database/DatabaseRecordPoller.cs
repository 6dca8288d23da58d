using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers.Polling;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Triggers.Database;

/// <summary>
/// Polls a query for new rows. The cursor is the last cursor-column value received (kept as
/// <c>{"value": …, "started": true, "source": hash of provider, query and column}</c>); each poll runs the query with it as <c>@cursor</c>, takes at most
/// <see cref="MaxRowsPerPoll"/> rows (the rest come next poll), receives each row as an event (idempotency key = its
/// cursor value, prefixed with the source hash) and moves the cursor after each one. With <c>startFrom: "now"</c> the first poll pages through the
/// existing rows only to find the newest, so history is not replayed.
/// </summary>
public sealed class DatabaseRecordPoller(TriggerInbox inbox, IOptions<TriggerOptions> options, TimeProvider time) : ITriggerPoller
{
    public const int MaxRowsPerPoll = 500;

    /// <summary>How many pages the first poll of a "now" trigger reads to find the newest row before it continues next poll.</summary>
    public const int MaxStartPages = 100;

    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public TriggerKind Kind => TriggerKind.DatabaseRecord;

    public TimeSpan Interval(TriggerEntry entry) => PollSettings.Interval(entry, options.Value);

    public async Task PollAsync(TriggerPoll poll, CancellationToken ct)
    {
        var entry = poll.Entry;
        var provider = entry.StringSetting("provider") ?? DatabaseRecordTriggerHandler.Sqlite;
        var query = entry.StringSetting("query") ?? "";
        var column = entry.StringSetting("cursorColumn") ?? "id";
        var connectionString = entry.Secrets.GetValueOrDefault(DatabaseRecordTriggerHandler.ConnectionString)
            ?? throw new InvalidOperationException("The trigger has no connection string; set it on the trigger.");
        var source = Source(provider, query, column);
        var (cursor, started) = ParseCursor(poll.Cursor, source);
        var catchingUp = !started && entry.StringSetting("startFrom") != DatabaseRecordTriggerHandler.StartBeginning;

        for (var page = 0; page < (catchingUp ? MaxStartPages : 1); page++)
        {
            var rows = await DatabaseRecordReader.ReadAsync(provider, connectionString, query, cursor, MaxRowsPerPoll, CommandTimeout, time, ct);
            var fresh = 0;
            foreach (var (row, value) in InCursorOrder(rows, column))
            {
                if (cursor is not null && Compare(value, cursor, column) <= 0)
                {
                    // The query returned a row at or below the cursor (e.g. ">=" or no ORDER BY): already received.
                    continue;
                }

                if (!catchingUp)
                {
                    var key = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                    // Scoped by the source, so a row of a changed query is not taken for a duplicate of an old one.
                    await inbox.ReceiveAsync(poll.Trigger, new TriggerIntake(row, $"{source}:{key}", $"{provider}:{column}={key}"), ct);
                    poll.Counted();
                }

                cursor = value.DeepClone();
                fresh++;
                poll.MoveCursor(Cursor(cursor, started: !catchingUp, source));
            }

            if (fresh == 0 || rows.Count < MaxRowsPerPoll)
            {
                // Caught up (or nothing newer): from now on rows above the cursor are events.
                poll.MoveCursor(Cursor(cursor, started: true, source));
                return;
            }
        }
    }

    /// <summary>
    /// The rows in ascending cursor order. A partial page the query left unordered is sorted here; a full one cannot be
    /// (rows beyond it may be lower than its highest), so that asks for an ORDER BY rather than risk skipping rows.
    /// </summary>
    private static List<(JsonObject Row, JsonValue Value)> InCursorOrder(List<JsonObject> rows, string column)
    {
        var keyed = rows.Select(r => (Row: r, Value: CursorValue(r, column))).ToList();
        var ordered = true;
        for (var i = 1; i < keyed.Count && ordered; i++)
        {
            ordered = Compare(keyed[i].Value, keyed[i - 1].Value, column) >= 0;
        }

        if (ordered)
        {
            return keyed;
        }

        if (rows.Count >= MaxRowsPerPoll)
        {
            throw new InvalidOperationException($"The query returns rows out of '{column}' order; add ORDER BY {column} so no row is skipped.");
        }

        keyed.Sort((a, b) => Compare(a.Value, b.Value, column));
        return keyed;
    }

    private static JsonValue CursorValue(JsonObject row, string column)
    {
        if (!row.TryGetPropertyValue(column, out var node))
        {
            // Column names as the database spells them; accept a different case before giving up.
            node = row.FirstOrDefault(p => string.Equals(p.Key, column, StringComparison.OrdinalIgnoreCase)).Value;
            if (node is null && !row.Any(p => string.Equals(p.Key, column, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"The query's result has no column '{column}' (it has {string.Join(", ", row.Select(p => p.Key))}); change the cursor column or the query.");
            }
        }

        // Re-read from JSON so values compare alike whatever CLR type the driver produced (long, decimal, text).
        return node is JsonValue value
            ? JsonNode.Parse(value.ToJsonString())!.AsValue()
            : throw new InvalidOperationException($"A row's cursor column '{column}' is NULL; the cursor column must always have a value.");
    }

    private static int Compare(JsonValue left, JsonNode right, string column)
    {
        if (left.TryGetValue<decimal>(out var a) && right is JsonValue r && r.TryGetValue<decimal>(out var b))
        {
            return a.CompareTo(b);
        }

        if (left.TryGetValue<double>(out var x) && right is JsonValue rd && rd.TryGetValue<double>(out var y))
        {
            return x.CompareTo(y);
        }

        if (left.TryGetValue<string>(out var s) && right is JsonValue rs && rs.TryGetValue<string>(out var t))
        {
            return string.CompareOrdinal(s, t);
        }

        throw new InvalidOperationException($"The cursor column '{column}' changed type ({left.ToJsonString()} after {right.ToJsonString()}).");
    }

    private static string Cursor(JsonNode? value, bool started, string source) =>
        new JsonObject { ["value"] = value?.DeepClone(), ["started"] = started, ["source"] = source }.ToJsonString();

    /// <summary>
    /// What the cursor's value was read from: when a person changes the database, the query or the cursor column, the
    /// old high-water mark means nothing for the new rows, so the trigger starts again as configured (startFrom).
    /// </summary>
    private static string Source(string provider, string query, string column) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{provider}\n{query}\n{column}")))[..16];

    private static (JsonNode? Value, bool Started) ParseCursor(string? cursor, string source)
    {
        if (cursor is null || JsonNode.Parse(cursor) is not JsonObject state || state["source"]?.GetValue<string>() != source)
        {
            return (null, false);
        }

        return (state["value"]?.DeepClone(), state["started"] is JsonValue s && s.TryGetValue<bool>(out var started) && started);
    }
}
