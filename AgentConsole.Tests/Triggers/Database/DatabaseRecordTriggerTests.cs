using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Database;
using AgentConsole.Tests.Triggers.Polling;

namespace AgentConsole.Tests.Triggers.Database;

/// <summary>New-database-record triggers against a real database; the SQLite and PostgreSQL classes run the same cases.</summary>
public abstract class DatabaseRecordTriggerTests : IAsyncLifetime
{
    private PollingTestBed _bed = null!;

    protected abstract IRecordDatabase Database { get; }

    /// <summary>A table name of this test, so the tests of a class can share one database.</summary>
    protected string Table { get; } = $"orders_{Guid.NewGuid():N}"[..20];

    public async Task InitializeAsync()
    {
        _bed = await PollingTestBed.StartAsync();
        await Database.ExecuteAsync($"CREATE TABLE {Table} (id INTEGER PRIMARY KEY, email TEXT NOT NULL, total NUMERIC NOT NULL)");
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task InsertAsync(int from, int to) =>
        Database.ExecuteAsync($"INSERT INTO {Table} (id, email, total) VALUES " +
            string.Join(", ", Enumerable.Range(from, to - from + 1).Select(i => $"({i}, 'buyer{i}@acme.example', {i}.5)")));

    private Task<Trigger> CreateAsync(string startFrom = DatabaseRecordTriggerHandler.StartNow, string? query = null) =>
        _bed.CreateAsync(TriggerKind.DatabaseRecord, Settings(startFrom, query), new Dictionary<string, string> { [DatabaseRecordTriggerHandler.ConnectionString] = Database.ConnectionString });

    private JsonObject Settings(string startFrom = DatabaseRecordTriggerHandler.StartNow, string? query = null) => new()
    {
        ["provider"] = Database.Provider,
        ["query"] = query ?? $"SELECT id, email, total FROM {Table} WHERE id > COALESCE(@cursor, 0) ORDER BY id",
        ["cursorColumn"] = "id",
        ["startFrom"] = startFrom,
    };

    private async Task<List<long>> IdsAsync(Trigger trigger) =>
        [.. (await _bed.PayloadsAsync(trigger)).Select(p => p["id"]!.GetValue<long>()).Order()];

    [Fact]
    public async Task Poll_MakesAnEventOfEachNewRow_AndAdvancesTheCursor_WithoutReplayingHistory()
    {
        await InsertAsync(1, 3);
        var trigger = await CreateAsync();

        var first = await _bed.PollAsync(trigger);
        await InsertAsync(4, 5);
        var second = await _bed.PollAsync(trigger);
        var third = await _bed.PollAsync(trigger);

        Assert.Equal((0, null), (first.Received, first.Error));
        Assert.Equal((2, null), (second.Received, second.Error));
        Assert.Equal((0, null), (third.Received, third.Error));
        Assert.Equal([4L, 5L], await IdsAsync(trigger));
        var row = (await _bed.PayloadsAsync(trigger)).Single(p => p["id"]!.GetValue<long>() == 4);
        Assert.Equal("buyer4@acme.example", row["email"]!.GetValue<string>());
        Assert.Equal("4.5", row["total"]!.ToJsonString());
        Assert.Contains(await _bed.EventsAsync(trigger), e => e.DedupKey!.EndsWith(":5", StringComparison.Ordinal));
        var stored = await _bed.ReloadAsync(trigger);
        var cursor = JsonNode.Parse(stored.Cursor!)!;
        Assert.Equal((5L, true), (cursor["value"]!.GetValue<long>(), cursor["started"]!.GetValue<bool>()));
        Assert.True(stored.Healthy);
    }

    [Fact]
    public async Task Poll_StartsAgainFromTheNewestRow_WhenThePolledQueryIsChanged()
    {
        await InsertAsync(1, 3);
        var trigger = await CreateAsync(DatabaseRecordTriggerHandler.StartBeginning);
        Assert.Equal(3, (await _bed.PollAsync(trigger)).Received);
        var other = $"{Table}_b";
        await Database.ExecuteAsync($"CREATE TABLE {other} (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
        await Database.ExecuteAsync($"INSERT INTO {other} (id, email) VALUES (1, 'a@acme.example'), (2, 'b@acme.example')");

        var settings = Settings(DatabaseRecordTriggerHandler.StartNow, $"SELECT id, email FROM {other} WHERE id > COALESCE(@cursor, 0) ORDER BY id");
        var changed = await _bed.Catalog.UpdateAsync(trigger.Key, new TriggerDraft(trigger.Name, TriggerKind.DatabaseRecord, Settings: settings), null, "tests");
        Assert.Equal(TriggerCommandOutcome.Done, changed.Outcome);
        var restart = await _bed.PollAsync(trigger);
        await Database.ExecuteAsync($"INSERT INTO {other} (id, email) VALUES (3, 'c@acme.example')");
        var next = await _bed.PollAsync(trigger);

        Assert.Equal((0, null), (restart.Received, restart.Error));
        Assert.Equal((1, null), (next.Received, next.Error));
        Assert.Contains(await _bed.PayloadsAsync(trigger), p => p["email"]?.GetValue<string>() == "c@acme.example");
    }

    [Fact]
    public async Task Poll_TakesAtMost500RowsEachTime_FromTheBeginning_WhenStartFromIsBeginning()
    {
        await InsertAsync(1, 620);
        var trigger = await CreateAsync(DatabaseRecordTriggerHandler.StartBeginning);

        var first = await _bed.PollAsync(trigger);
        var second = await _bed.PollAsync(trigger);

        Assert.Equal(DatabaseRecordPoller.MaxRowsPerPoll, first.Received);
        Assert.Equal(120, second.Received);
        Assert.Equal(Enumerable.Range(1, 620).Select(i => (long)i), await IdsAsync(trigger));
    }

    [Fact]
    public async Task Poll_MarksTheTriggerUnhealthy_WithTheDatabasesMessage_WhenTheQueryFails()
    {
        await InsertAsync(1, 1);
        var trigger = await CreateAsync(DatabaseRecordTriggerHandler.StartBeginning);
        await Database.ExecuteAsync($"DROP TABLE {Table}");

        var result = await _bed.PollAsync(trigger);

        Assert.NotNull(result.Error);
        Assert.Contains(Table, result.Error, StringComparison.Ordinal);
        var stored = await _bed.ReloadAsync(trigger);
        Assert.False(stored.Healthy);
        Assert.Equal(result.Error, stored.LastError);
        Assert.Empty(await _bed.EventsAsync(trigger));
        Assert.Equal(["trigger.unhealthy"], await _bed.HealthAuditAsync(trigger));
    }

    [Fact]
    public async Task Poll_FailsOnTheReadOnlyConnection_WhenTheSelectTriesWhatItForbids()
    {
        await InsertAsync(1, 1);
        var trigger = await CreateAsync(DatabaseRecordTriggerHandler.StartBeginning, WritingSelect);

        var result = await _bed.PollAsync(trigger);

        Assert.NotNull(result.Error);
        Assert.Empty(await _bed.EventsAsync(trigger));
        Assert.False((await _bed.ReloadAsync(trigger)).Healthy);
    }

    /// <summary>A SELECT that passes the save-time check but would write if the connection allowed it.</summary>
    protected abstract string WritingSelect { get; }

    [Theory]
    [InlineData("DELETE FROM orders WHERE id > COALESCE(@cursor, 0)", "only reads")]
    [InlineData("SELECT id FROM orders WHERE id > COALESCE(@cursor, 0); DROP TABLE orders", "one statement")]
    [InlineData("WITH x AS (DELETE FROM orders RETURNING id) SELECT id FROM x WHERE id > COALESCE(@cursor, 0)", "DELETE")]
    [InlineData("SELECT id FROM orders ORDER BY id", "@cursor")]
    [InlineData("SELECT id FROM orders WHERE id > @cursor ORDER BY id", "NULL")]
    public async Task Create_RefusesTheQuery_WhenItIsNotASingleSelectUsingTheCursor(string query, string message)
    {
        var result = await _bed.Catalog.CreateAsync("lead-router", new TriggerDraft("Orders", TriggerKind.DatabaseRecord, Settings: Settings(query: query),
            Secrets: new Dictionary<string, string> { [DatabaseRecordTriggerHandler.ConnectionString] = Database.ConnectionString }), "tests");

        Assert.Equal(TriggerCommandOutcome.Invalid, result.Outcome);
        Assert.Contains(message, Assert.Single(result.Errors!["settings.query"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AcceptsAQuery_WhoseLiteralsAndCommentsMentionWritingWords()
    {
        var trigger = await CreateAsync(query: $"SELECT id, 'update; delete' AS note FROM {Table} -- insert\nWHERE id > COALESCE(@cursor, 0) ORDER BY id");

        await InsertAsync(1, 1);
        var result = await _bed.PollAsync(trigger);

        Assert.Null(result.Error);
    }
}

public sealed class SqliteRecordTriggerTests : DatabaseRecordTriggerTests, IRecordDatabase, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentconsole-records-{Guid.NewGuid():N}.db");

    protected override IRecordDatabase Database => this;

    protected override string WritingSelect => $"SELECT id FROM {Table} WHERE id > COALESCE(@cursor, 0) AND (SELECT count(*) FROM pragma_user_version) >= 0 ORDER BY id";

    public string Provider => DatabaseRecordTriggerHandler.Sqlite;

    public string ConnectionString => $"Data Source={_file}";

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_file};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => File.Delete(_file);
}

public sealed class PostgresRecordTriggerTests(PostgresServer server) : DatabaseRecordTriggerTests, IRecordDatabase, IClassFixture<PostgresServer>
{
    protected override IRecordDatabase Database => this;

    // nextval writes the sequence: refused inside the poller's READ ONLY transaction.
    protected override string WritingSelect => $"SELECT id, nextval('{Table}_seq') AS n FROM {Table} WHERE id > COALESCE(@cursor, 0) ORDER BY id";

    public string Provider => DatabaseRecordTriggerHandler.Postgres;

    public string ConnectionString => server.ConnectionString;

    public async Task ExecuteAsync(string sql)
    {
        await server.ExecuteAsync(sql);
        if (sql.StartsWith($"CREATE TABLE {Table} (", StringComparison.Ordinal))
        {
            await server.ExecuteAsync($"CREATE SEQUENCE {Table}_seq");
        }
    }
}
