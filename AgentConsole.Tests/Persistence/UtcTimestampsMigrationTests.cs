using System.Globalization;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Persistence.Migrations;
using AgentConsole.Engine.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AgentConsole.Tests.Persistence;

/// <summary>
/// The UtcTimestamps migration on a database written before it: every DateTimeOffset column holds EF Core's binary
/// (local ticks + offset) encoding, with offsets on both sides of UTC, and reads back as the same instants in UTC.
/// A SQLite migration (PostgreSQL installations started after it), so SQLite whatever AGENTCONSOLE_TEST_PROVIDER says.
/// </summary>
public sealed class UtcTimestampsMigrationTests : IDisposable
{
    private const string Previous = "20261126015934_Runs";
    private static readonly TimeSpan[] Offsets = [new(2, 0, 0), new(-5, 0, 0), new(5, 45, 0), new(-12, 0, 0), new(14, 0, 0), TimeSpan.Zero];
    private static readonly DateTimeOffsetToBinaryConverter OldEncoding = new();

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentconsole-migration-tests", Guid.NewGuid().ToString("N"));

    public UtcTimestampsMigrationTests() => Directory.CreateDirectory(_folder);

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "old.db")}";

    // UseAppDatabase picks the SQLite migrations; plain UseSqlite would also run PostgreSQL's Initial.
    private AgentConsoleDbContext Context() => new(new DbContextOptionsBuilder<AgentConsoleDbContext>().UseAppDatabase(DatabaseProvider.Sqlite, ConnectionString).Options);

    /// <summary>A distinct instant per column, written with one of the offsets; 0.1 ms precision, as the old encoding kept.</summary>
    private static DateTimeOffset ValueFor(int index) =>
        new DateTimeOffset(2026, 11, 25, 10, 0, 0, 123, Offsets[index % Offsets.Length]).AddMinutes(index * 7).AddTicks(4000);

    private static bool LeftNull(string table, string column) => (table, column) == ("ApiKeys", "RevokedAt");

    [Fact]
    public async Task Migrate_RewritesEveryBinaryEncodedTime_AsTheSameInstantInUtcTicks()
    {
        await CreateOldDatabaseAsync();

        await using (var db = Context())
        {
            await db.Database.MigrateAsync();
        }

        var raw = await ReadRawAsync();
        for (var i = 0; i < UtcTimestamps.Columns.Count; i++)
        {
            var (table, column) = UtcTimestamps.Columns[i];
            Assert.True(raw.ContainsKey((table, column)), $"{table}.{column} was not read back.");
            if (LeftNull(table, column))
            {
                Assert.Null(raw[(table, column)]);
            }
            else
            {
                Assert.True(ValueFor(i).UtcTicks == raw[(table, column)], $"{table}.{column}: expected {ValueFor(i):O} = {ValueFor(i).UtcTicks} UTC ticks, found {raw[(table, column)]}.");
            }
        }

        // And through EF: the same instants, in UTC.
        await using (var db = Context())
        {
            var run = await db.Runs.AsNoTracking().SingleAsync();
            Assert.Equal(ValueFor(Index("Runs", "CreatedAt")), run.CreatedAt);
            Assert.Equal(TimeSpan.Zero, run.CreatedAt.Offset);
            Assert.Equal(ValueFor(Index("Runs", "LeaseExpiresAt")), run.LeaseExpiresAt);
            var escalation = await db.Escalations.AsNoTracking().SingleAsync();
            Assert.Equal(ValueFor(Index("Escalations", "ResolvedAt")), escalation.ResolvedAt);
            var step = await db.RunSteps.AsNoTracking().SingleAsync();
            Assert.Equal(ValueFor(Index("RunSteps", "At")), step.At);
        }
    }

    [Fact]
    public async Task MigrateDown_WritesTheBinaryEncodingBack_ForTheSameInstants()
    {
        await CreateOldDatabaseAsync();
        await using (var db = Context())
        {
            await db.Database.MigrateAsync();
            await db.GetService<IMigrator>().MigrateAsync(Previous);
        }

        var raw = await ReadRawAsync();
        for (var i = 0; i < UtcTimestamps.Columns.Count; i++)
        {
            var key = UtcTimestamps.Columns[i];
            if (!LeftNull(key.Table, key.Column))
            {
                Assert.Equal(ValueFor(i), (DateTimeOffset)OldEncoding.ConvertFromProvider(raw[key])!);
            }
        }
    }

    [Fact]
    public void Model_StoresEveryDateTimeOffsetAsUtcTicks()
    {
        using var db = Context();
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.FromHours(2));

        var properties = DateTimeOffsetProperties(db).ToList();

        Assert.NotEmpty(properties);
        Assert.All(properties, p =>
        {
            var converter = p.Property.GetTypeMapping().Converter;
            Assert.True(converter is not null, $"{p.Table}.{p.Column} has no converter.");
            Assert.Equal(at.UtcTicks, (long)converter.ConvertToProvider(at)!);
        });
    }

    /// <summary>
    /// Guards the migration's list: a DateTimeOffset column the list misses kept the old encoding. If this fails after
    /// a merge, decide for the new column: added by a migration ordered before UtcTimestamps and holding values, add it
    /// to <see cref="UtcTimestamps.Columns"/>; added after it, add it to <see cref="AddedAfterUtcTimestamps"/>.
    /// </summary>
    [Fact]
    public void UtcTimestamps_ConvertsEveryDateTimeOffsetColumnThatHeldTheOldEncoding()
    {
        using var db = Context();
        // The audit tables stored UTC ticks from the start (their raw SQL relies on it).
        string[] alwaysUtc = ["AuditEvents", "AuditOutbox"];

        var model = DateTimeOffsetProperties(db)
            .Where(p => !alwaysUtc.Contains(p.Table))
            .Select(p => (p.Table, p.Column))
            .ToHashSet();

        Assert.Equal(model.Order(), UtcTimestamps.Columns.Concat(AddedAfterUtcTimestamps).Order());
    }

    /// <summary>DateTimeOffset columns created after the UtcTimestamps migration, so never in the old encoding.</summary>
    private static readonly (string Table, string Column)[] AddedAfterUtcTimestamps =
    [
        ("AgentScopings", "UpdatedAt"),
        ("PromptVersions", "CreatedAt"),
        ("PromptVersions", "UpdatedAt"),
        ("PromptVersions", "PublishedAt"),
        ("PromptVersions", "RetiredAt"),
        ("TestSets", "CreatedAt"),
        ("TestSets", "UpdatedAt"),
        ("TestCases", "CreatedAt"),
        ("TestCases", "UpdatedAt"),
        ("Evaluations", "CreatedAt"),
        ("Evaluations", "StartedAt"),
        ("Evaluations", "CompletedAt"),
        ("EvaluationCases", "CompletedAt"),
        ("AuditQuarantine", "QuarantinedAt"),
        ("AlertRules", "CreatedAt"),
        ("AlertRules", "UpdatedAt"),
        ("AlertRules", "LastEvaluatedAt"),
        ("AlertRules", "LastErrorAt"),
        ("Alerts", "FiredAt"),
        ("Alerts", "LastSeenAt"),
        ("Alerts", "ResolvedAt"),
        ("Alerts", "AcknowledgedAt"),
        ("HttpSandboxRequests", "CreatedAt"),
        ("CrmChanges", "At"),
        ("CrmCompanies", "UpdatedAt"),
        ("CrmLeads", "CreatedAt"),
        ("CrmLeads", "UpdatedAt"),
        ("CrmStatusHistory", "At"),
        ("CrmTasks", "CreatedAt"),
        ("EngineInstances", "LastSeenAt"),
        ("Escalations", "ClaimedAt"),
        ("Escalations", "ClaimExpiresAt"),
        ("Escalations", "DueAt"),
        ("Escalations", "RemindAt"),
        ("Escalations", "RemindedAt"),
        ("EngineInstances", "StartedAt"),
        ("KnowledgeDocuments", "UploadedAt"),
        ("NotificationChannels", "UpdatedAt"),
        ("NotificationDeliveries", "CreatedAt"),
        ("NotificationDeliveries", "NextAttemptAt"),
        ("NotificationDeliveries", "SentAt"),
        ("RunDurationDays", "DayStart"),
        ("RunDurationRollups", "HourStart"),
        ("RunRollupDeltas", "HourStart"),
        ("RunRollups", "HourStart"),
        ("Runs", "RawDataPurgedAt"),
        ("Runs", "RecoveryEnqueuedAt"),
        ("SandboxCalendarEvents", "CreatedAt"),
        ("SandboxCalendarEvents", "End"),
        ("SandboxCalendarEvents", "Start"),
        ("SandboxChatMessages", "PostedAt"),
        ("SandboxOutbox", "SentAt"),
        ("ToolConnections", "UpdatedAt"),
        ("TriggerEvents", "ProcessedAt"),
        ("TriggerEvents", "ReceivedAt"),
        ("Triggers", "CreatedAt"),
        ("Triggers", "LastCheckedAt"),
        ("Triggers", "LastErrorAt"),
        ("Triggers", "UpdatedAt"),
    ];

    private static IEnumerable<(string Table, string Column, Microsoft.EntityFrameworkCore.Metadata.IProperty Property)> DateTimeOffsetProperties(AgentConsoleDbContext db) =>
        from entity in db.Model.GetEntityTypes()
        from property in entity.GetProperties()
        where property.ClrType == typeof(DateTimeOffset) || property.ClrType == typeof(DateTimeOffset?)
        select (entity.GetTableName()!, property.GetColumnName(), property);

    private static int Index(string table, string column) => UtcTimestamps.Columns.ToList().IndexOf((table, column));

    /// <summary>The schema before UtcTimestamps, with one old-format row per table.</summary>
    private async Task CreateOldDatabaseAsync()
    {
        await using (var db = Context())
        {
            await db.GetService<IMigrator>().MigrateAsync(Previous);
        }

        await InsertOldRowsAsync();
    }

    /// <summary>
    /// One row per table, written as the old code stored it: the times through EF Core's binary converter, other
    /// required columns with plain values (Guids for ids; enum names the reads above need).
    /// </summary>
    private async Task InsertOldRowsAsync()
    {
        var overrides = new Dictionary<(string, string), object>
        {
            [("Runs", "Status")] = nameof(RunStatus.WaitingForHuman),
            [("Escalations", "Kind")] = "Agent",
            [("Escalations", "Status")] = "Approved",
        };
        var runId = Guid.NewGuid().ToString().ToUpperInvariant();
        // Rows of unrelated tables only need their own times; their parents (users, decisions) are not the point.
        await using var connection = new SqliteConnection(ConnectionString + ";Foreign Keys=False");
        await connection.OpenAsync();
        foreach (var table in UtcTimestamps.Columns.Select(c => c.Table).Distinct())
        {
            var names = new List<string>();
            var values = new List<object>();
            foreach (var (name, type, notNull, hasDefault, isKey) in await ColumnsOfAsync(connection, table))
            {
                var index = Index(table, name);
                object? value = index >= 0
                    ? LeftNull(table, name) ? null : OldEncoding.ConvertToProvider(ValueFor(index))
                    : overrides.TryGetValue((table, name), out var o) ? o
                    : name is "RunId" ? runId
                    : table == "Runs" && name == "Id" ? runId
                    : !notNull || hasDefault ? null
                    : type == "TEXT" ? name.EndsWith("Id", StringComparison.Ordinal) ? Guid.NewGuid().ToString().ToUpperInvariant() : "0"
                    : isKey && type == "INTEGER" ? 1
                    : type == "BLOB" ? Array.Empty<byte>()
                    : 0;
                if (value is not null)
                {
                    names.Add(name);
                    values.Add(value);
                }
            }

            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))})";
            for (var i = 0; i < values.Count; i++)
            {
                insert.Parameters.AddWithValue($"$p{i}", values[i]);
            }

            await insert.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<(string Name, string Type, bool NotNull, bool HasDefault, bool IsKey)>> ColumnsOfAsync(SqliteConnection connection, string table)
    {
        var columns = new List<(string, string, bool, bool, bool)>();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info(\"{table}\")";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add((reader.GetString(1), reader.GetString(2).ToUpperInvariant(), reader.GetInt64(3) == 1, !reader.IsDBNull(4), reader.GetInt64(5) > 0));
        }

        return columns;
    }

    private async Task<Dictionary<(string Table, string Column), long?>> ReadRawAsync()
    {
        var values = new Dictionary<(string, string), long?>();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var (table, column) in UtcTimestamps.Columns)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT \"{column}\" FROM \"{table}\"";
            var value = await command.ExecuteScalarAsync();
            values[(table, column)] = value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }

        return values;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans the temp folder.
        }
    }
}
