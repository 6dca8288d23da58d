using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Database;
using AgentConsole.Tests.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Tools.Database;

/// <summary>db_query on real SQLite files: the sandbox demo catalogue and a live connection to a writable file.</summary>
public sealed class DatabaseLookupConnectorTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.Get<ConnectionStore>().EnsureDefaultsAsync(default);
        _folder = Path.Combine(Path.GetTempPath(), "agentconsole-dbquery", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private DatabaseLookupConnector Connector => _db.Services.GetServices<IConnector>().OfType<DatabaseLookupConnector>().Single();

    private ToolDefinition Tool => Connector.Tools.Single();

    [Fact]
    public async Task Invoke_QueriesTheDemoCatalogue_WhenTheConnectionIsSandbox()
    {
        var result = await InvokeAsync(new
        {
            sql = "SELECT p.sku, p.name, r.unit_price FROM products p JOIN prices r ON r.sku = p.sku WHERE p.category = :category AND r.tier = :tier ORDER BY p.sku",
            parameters = new { category = "Software", tier = "enterprise" },
        });

        Assert.Equal(["sku", "name", "unit_price"], result["columns"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(6, (int)result["rowCount"]!);
        Assert.Equal("SOF-100", (string)result["rows"]![0]![0]!);
        Assert.Equal(21.75, (double)result["rows"]![0]![2]!);
        var counts = await InvokeAsync(new { sql = "SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM prices)" });
        Assert.Equal((24L, 72L), ((long)counts["rows"]![0]![0]!, (long)counts["rows"]![0]![1]!));
        await using var db = await _db.Contexts.CreateDbContextAsync();
        // Beside the application database; when that is not a file (PostgreSQL), in the content root's data folder.
        var folder = TestDatabase.IsPostgres
            ? Path.Combine(_db.Get<IHostEnvironment>().ContentRootPath, "data")
            : Path.GetDirectoryName(db.Database.GetDbConnection().DataSource)!;
        Assert.True(File.Exists(Path.Combine(folder, SandboxCatalog.FileName)));
    }

    [Theory]
    [InlineData("INSERT INTO products (sku, name, category, list_price, currency, in_stock) VALUES ('X-1', 'x', 'x', 1, 'EUR', 1)")]
    [InlineData("UPDATE products SET list_price = 0")]
    [InlineData("DELETE FROM prices")]
    [InlineData("DROP TABLE products")]
    [InlineData("CREATE TABLE notes (text TEXT)")]
    [InlineData("CREATE TEMP TABLE notes (text TEXT)")]
    [InlineData("WITH cheap AS (SELECT sku FROM products WHERE list_price < 50) UPDATE products SET list_price = 1 WHERE sku IN (SELECT sku FROM cheap)")]
    [InlineData("WITH x AS (SELECT 1) INSERT INTO prices SELECT sku, 'free', 1, 0 FROM products")]
    [InlineData("PRAGMA user_version = 7")]
    [InlineData("PRAGMA query_only = OFF")]
    [InlineData("PRAGMA journal_mode = DELETE")]
    [InlineData("ATTACH DATABASE ':memory:' AS scratch")]
    [InlineData("ATTACH DATABASE 'elsewhere.db' AS scratch")]
    [InlineData("DELETE FROM products; SELECT 1")]
    [InlineData("VACUUM")]
    public async Task Invoke_IsRefusedByTheDatabase_WhenTheSqlWrites(string sql)
    {
        var live = await LiveDatabaseAsync();

        var error = await FailAsync(new { sql });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains("SQLite Error", error.Message, StringComparison.Ordinal);
        // The file is untouched: same rows, same user_version, no attached file created.
        await using var check = new SqliteConnection($"Data Source={live};Mode=ReadOnly");
        await check.OpenAsync();
        await using var command = check.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM products) || '/' || (SELECT count(*) FROM prices) || '/' || (SELECT user_version FROM pragma_user_version)";
        Assert.Equal("3/6/0", (string)(await command.ExecuteScalarAsync())!);
        Assert.False(File.Exists(Path.Combine(_folder, "elsewhere.db")));
    }

    [Fact]
    public async Task Invoke_ReadsTheSchema_WhenTheSqlUsesASchemaPragma()
    {
        await LiveDatabaseAsync();

        var result = await InvokeAsync(new { sql = "PRAGMA table_info(products)" });

        Assert.Contains(result["rows"]!.AsArray(), row => (string)row![1]! == "list_price");
    }

    [Fact]
    public async Task Check_SaysUnhealthy_WhenTheLiveFileDoesNotExist()
    {
        await SaveAsync(new JsonObject { ["provider"] = "Sqlite" },
            new Dictionary<string, string> { [DatabaseLookupConnector.ConnectionStringSecret] = $"Data Source={Path.Combine(_folder, "missing.db")}" });
        var connection = await _db.Get<ConnectionStore>().SnapshotAsync(Tool.Connection);

        var health = await Connector.CheckAsync(connection, CancellationToken.None);

        Assert.False(health.IsHealthy);
        Assert.Contains("cannot be opened", health.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "missing.db")));
    }

    [Fact]
    public async Task Invoke_BindsAParameterAsAValue_WhenItHoldsSql()
    {
        await LiveDatabaseAsync();

        var injected = await InvokeAsync(new { sql = "SELECT sku FROM products WHERE name = :name", parameters = new { name = "x' OR '1'='1" } });
        var dropped = await InvokeAsync(new { sql = "SELECT sku FROM products WHERE sku = @sku", parameters = new { sku = "A-1'; DROP TABLE products; --" } });
        var real = await InvokeAsync(new { sql = "SELECT sku FROM products WHERE name = $name", parameters = new { name = "Anvil" } });

        Assert.Equal(0, (int)injected["rowCount"]!);
        Assert.Equal(0, (int)dropped["rowCount"]!);
        Assert.Equal("A-1", (string)Assert.Single(real["rows"]!.AsArray())![0]!);
    }

    [Fact]
    public async Task Invoke_CutsRowsBeyondTheCap_WithANote()
    {
        await LiveDatabaseAsync(new JsonObject { ["maxRows"] = 4 });

        var result = await InvokeAsync(new { sql = "SELECT sku, tier FROM prices ORDER BY sku, tier" });

        Assert.Equal(4, (int)result["rowCount"]!);
        Assert.True((bool)result["truncated"]!);
        Assert.Contains("first 4 rows", (string)result["note"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_StopsTheQuery_WhenItRunsPastTheStatementTimeout()
    {
        await LiveDatabaseAsync(new JsonObject { ["timeoutSeconds"] = 1 });
        var connector = new DatabaseLookupConnector(_db.Get<SandboxCatalog>(), _db.Get<IOptionsMonitor<DatabaseLookupOptions>>(), TimeProvider.System);
        var call = await CallAsync(new { sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n" });

        var error = await Assert.ThrowsAsync<ToolCallException>(() => connector.InvokeAsync(call, CancellationToken.None));

        Assert.Equal(ToolFailureKind.InvalidArguments, error.Kind);
        Assert.Contains("statement timeout", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM nowhere", "no such table")]
    [InlineData("SELECT * FROM products WHERE sku = :sku", "Give every :name")]
    public async Task Invoke_TellsTheModel_WhenTheQueryIsWrong(string sql, string message)
    {
        await LiveDatabaseAsync();

        var error = await FailAsync(new { sql });

        Assert.Equal(ToolFailureKind.InvalidArguments, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RefusesAsPermanent_WhenTheProviderIsPostgres()
    {
        await SaveAsync(new JsonObject { ["provider"] = "Postgres" }, new Dictionary<string, string> { [DatabaseLookupConnector.ConnectionStringSecret] = "Host=db;Username=x" });

        var error = await FailAsync(new { sql = "SELECT 1" });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains("PostgreSQL is not supported yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RefusesAsPermanent_WhenTheConnectionStringIsMissing()
    {
        await SaveAsync([], null);

        var error = await FailAsync(new { sql = "SELECT 1" });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains("connectionString", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A writable SQLite file with three products, and the live connection pointing at it read-write (the connector must not care).</summary>
    private async Task<string> LiveDatabaseAsync(JsonObject? settings = null)
    {
        var path = Path.Combine(_folder, "shop.db");
        if (!File.Exists(path))
        {
            await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadWriteCreate;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE products (sku TEXT PRIMARY KEY, name TEXT, category TEXT, list_price REAL, currency TEXT, in_stock INTEGER);
                CREATE TABLE prices (sku TEXT, tier TEXT, min_quantity INTEGER, unit_price REAL);
                INSERT INTO products VALUES ('A-1', 'Anvil', 'Tools', 10, 'EUR', 1), ('B-2', 'Bucket', 'Tools', 5, 'EUR', 0), ('C-3', 'Chisel', 'Tools', 7, 'EUR', 4);
                INSERT INTO prices SELECT sku, 'list', 1, list_price FROM products;
                INSERT INTO prices SELECT sku, 'partner', 10, list_price * 0.8 FROM products;
                """;
            await command.ExecuteNonQueryAsync();
        }

        settings ??= [];
        settings["provider"] = "Sqlite";
        await SaveAsync(settings, new Dictionary<string, string> { [DatabaseLookupConnector.ConnectionStringSecret] = $"Data Source={path};Mode=ReadWrite" });
        return path;
    }

    private async Task SaveAsync(JsonObject settings, Dictionary<string, string>? secrets)
    {
        var saved = await _db.Get<ConnectionStore>().UpdateAsync(DatabaseLookupConnector.ConnectorKey,
            new ConnectionUpdate(ConnectionMode.Live, settings, secrets, SimulatedFailure.None), "admin@example.com");
        Assert.Equal(ConnectionSaveOutcome.Saved, saved.Outcome);
    }

    private async Task<JsonNode> InvokeAsync(object arguments) =>
        (await Connector.InvokeAsync(await CallAsync(arguments), CancellationToken.None))!;

    private async Task<ToolCallException> FailAsync(object arguments)
    {
        var call = await CallAsync(arguments);
        return await Assert.ThrowsAsync<ToolCallException>(() => Connector.InvokeAsync(call, CancellationToken.None));
    }

    private async Task<ToolCall> CallAsync(object arguments)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(arguments)!.AsObject();
        Assert.Null(ToolArguments.Validate(Tool, json));
        var connection = await _db.Get<ConnectionStore>().SnapshotAsync(Tool.Connection);
        return new ToolCall(Tool, json, ToolScope.Read, Guid.Empty, "db-agent", "call_1", connection, _db.Services);
    }
}
