using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// The one write API for the audit log. <see cref="Record"/> adds the entry to the caller's DbContext, so it
/// commits in the same transaction as the action it describes (an outbox row); <see cref="AuditChain"/> then
/// seals outbox rows into the hash chain in order. A crash can therefore never leave an action without its event.
/// </summary>
public sealed class AuditLog(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    TimeProvider time,
    AuditSignal signal,
    AuditKey key,
    IOptions<AuditOptions> options)
{
    public const int SummaryMaxLength = 500;
    private const string Redacted = "[redacted]";

    private static readonly HashSet<string> SecretNames =
    [
        "password", "secret", "apikey", "key", "token", "accesstoken", "refreshtoken", "bearertoken", "idtoken",
        "authorization", "hmackey", "privatekey", "clientsecret", "connectionstring",
    ];

    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Adds the entry to <paramref name="db"/>; it is written when the caller saves its changes.</summary>
    public void Record(AgentConsoleDbContext db, AuditEntry entry)
    {
        using var hasher = new ChainHasher(key.Bytes);
        db.AuditOutbox.Add(ToOutbox(entry, hasher));
        db.AuditRecorded = true;
    }

    /// <summary>Writes one entry on its own, for events that are not part of a data change (a sign-in, say).</summary>
    public async Task RecordAsync(AuditEntry entry, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Record(db, entry);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Writes many entries in one transaction; the cheap path for high-volume producers.</summary>
    public async Task RecordBatchAsync(IEnumerable<AuditEntry> entries, CancellationToken ct = default)
    {
        // Every entry is validated, stamped and serialised before anything is written: one bad entry fails the batch.
        List<AuditOutboxEntry> rows;
        using (var hasher = new ChainHasher(key.Bytes))
        {
            rows = entries.Select(e => ToOutbox(e, hasher)).ToList();
        }

        if (rows.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One prepared INSERT reused for every row rather than SaveChanges: for thousands of rows EF's change
        // tracking and per-command work cost several times what SQLite spends storing them. Same columns and
        // conversions as the AuditOutboxEntry mapping (ticks, enum names).
        await using var insert = AuditChain.Command(db.Database.GetDbConnection(), tx.GetDbTransaction(),
            "INSERT INTO \"AuditOutbox\" (\"Timestamp\", \"ActorType\", \"Actor\", \"Category\", \"Action\", \"AgentKey\", \"RunId\", \"Summary\", \"Payload\", \"KeyVersion\", \"Mac\") " +
            "VALUES (@ts, @at, @actor, @cat, @action, @agent, @run, @summary, @payload, @kv, @mac)");
        foreach (var name in (string[])["@ts", "@at", "@actor", "@cat", "@action", "@agent", "@run", "@summary", "@payload", "@kv", "@mac"])
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = name;
            insert.Parameters.Add(parameter);
        }

        var p = insert.Parameters;
        foreach (var row in rows)
        {
            p[0].Value = row.Timestamp.UtcTicks;
            p[1].Value = row.ActorType.ToString();
            p[2].Value = row.Actor;
            p[3].Value = row.Category.ToString();
            p[4].Value = row.Action;
            p[5].Value = (object?)row.AgentKey ?? DBNull.Value;
            p[6].Value = (object?)row.RunId ?? DBNull.Value;
            p[7].Value = row.Summary;
            p[8].Value = row.Payload;
            p[9].Value = row.KeyVersion;
            p[10].Value = row.Mac;
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        // SaveChanges would have woken the sealer through AuditOutboxInterceptor; this path does it itself.
        signal.Notify();
    }

    private AuditOutboxEntry ToOutbox(AuditEntry entry, ChainHasher hasher)
    {
        if (!Enum.IsDefined(entry.Category))
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Category, "Unknown audit category.");
        }

        if (entry.Action == AuditChain.PurgeAction)
        {
            // Retention anchors vouch for deleted events; only the purge itself writes them, straight into the chain.
            throw new ArgumentException($"'{AuditChain.PurgeAction}' is reserved for the retention purge.", nameof(entry));
        }

        var summary = entry.Summary.ReplaceLineEndings(" ");
        var row = new AuditOutboxEntry
        {
            Timestamp = time.GetUtcNow(),
            ActorType = entry.Actor.Type,
            Actor = Truncate(entry.Actor.Name, 256),
            Category = entry.Category,
            Action = Truncate(entry.Action, 64),
            AgentKey = entry.AgentKey,
            RunId = entry.RunId,
            Summary = Truncate(summary, SummaryMaxLength),
            Payload = CapPayload(SerializePayload(entry.Payload), options.Value.MaxPayloadBytes),
        };
        Sign(row, hasher);
        return row;
    }

    /// <summary>Stamps the row with the current key version and its MAC; the sealer refuses rows without a valid one.</summary>
    internal void Sign(AuditOutboxEntry row)
    {
        using var hasher = new ChainHasher(key.Bytes);
        Sign(row, hasher);
    }

    private void Sign(AuditOutboxEntry row, ChainHasher hasher)
    {
        row.KeyVersion = key.CurrentVersion;
        row.Mac = hasher.ComputeOutboxMac(row);
    }

    /// <summary>
    /// A payload over <paramref name="maxBytes"/> of UTF-8 is replaced by a marker object that says so, keeps the original
    /// size and as much of the original JSON text as fits: the event is still recorded (never rejected, which would
    /// fail the action it describes), and it shows that part of it was cut.
    /// </summary>
    internal static string CapPayload(string payload, int maxBytes)
    {
        var size = Encoding.UTF8.GetByteCount(payload);
        if (size <= maxBytes)
        {
            return payload;
        }

        var keep = Math.Min(payload.Length, maxBytes);
        while (true)
        {
            if (keep > 0 && char.IsHighSurrogate(payload[keep - 1]))
            {
                keep--;
            }

            var marker = JsonSerializer.Serialize(new TruncatedPayload(true, size, payload[..keep]), PayloadJson);
            var over = Encoding.UTF8.GetByteCount(marker) - maxBytes;
            if (over <= 0 || keep == 0)
            {
                return marker;
            }

            // Every character of the preview costs at least one byte, so dropping this many always fits next time.
            keep = Math.Max(0, keep - over);
        }
    }

    private sealed record TruncatedPayload(bool Truncated, int OriginalBytes, string Preview);

    /// <summary>JSON of the payload with any property that looks like a secret blanked out.</summary>
    internal static string SerializePayload(object? payload)
    {
        if (payload is null)
        {
            return "{}";
        }

        if (payload is JsonNode given)
        {
            Scrub(given);
            return given.ToJsonString(PayloadJson);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson);
        if (!NamesASecret(json))
        {
            // Nothing to scrub: these are the bytes the node round trip below would write again (same serializer,
            // same encoder), without building a node per value first.
            return json.AsSpan().SequenceEqual("null"u8) ? "{}" : Encoding.UTF8.GetString(json);
        }

        var node = JsonNode.Parse(json, new JsonNodeOptions { PropertyNameCaseInsensitive = PayloadJson.PropertyNameCaseInsensitive });
        Scrub(node);
        return node?.ToJsonString(PayloadJson) ?? "{}";
    }

    private static bool NamesASecret(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && LooksSecret(reader.GetString()!))
            {
                return true;
            }
        }

        return false;
    }

    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (LooksSecret(name) && value is not null && value.GetValueKind() != JsonValueKind.Null)
                    {
                        obj[name] = Redacted;
                    }
                    else
                    {
                        Scrub(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Scrub(item);
                }

                break;
        }
    }

    // Exact names, not substrings: "tokensIn" or "keyPrefix" are not secrets.
    private static bool LooksSecret(string name)
    {
        var normalized = name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return SecretNames.Contains(normalized)
            || normalized.EndsWith("password", StringComparison.Ordinal)
            || normalized.EndsWith("secret", StringComparison.Ordinal);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}

/// <summary>Wakes the sealer when outbox rows were committed, so events appear in search within milliseconds.</summary>
public sealed class AuditSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another writer already woke the sealer.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
