using System.Globalization;
using AgentConsole.Tests.Triggers.Polling;
using Npgsql;

namespace AgentConsole.Tests.Triggers.Database;

/// <summary>
/// A real PostgreSQL server started by the test: Debian's binaries (package postgresql, installed by scripts/test.sh)
/// run <c>initdb</c> into a temp folder and <c>pg_ctl start</c> on a free loopback port — as the postgres user when
/// the tests run as root, since PostgreSQL refuses to run as root. Nothing is skipped: when PostgreSQL is missing the
/// test fails and says to run scripts/test.sh.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    // xunit builds class fixtures through their one public constructor; settings are for SharedPostgres.
    public PostgresServer()
        : this("")
    {
    }

    internal PostgresServer(string serverSettings) => _serverSettings = serverSettings;

    private readonly string _serverSettings;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentconsole-pg", Guid.NewGuid().ToString("N"));
    private string _bin = "";

    public int Port { get; } = TestProcess.FreePort();

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false");

    private string Data => Path.Combine(_folder, "data");

    public async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0)
        {
            throw new InvalidOperationException("PostgreSQL's initdb is missing under /usr/lib/postgresql/*/bin: run scripts/test.sh, which installs postgresql, or apt-get install postgresql.");
        }

        Directory.CreateDirectory(_folder);
        if (TestProcess.IsRoot)
        {
            await TestProcess.RunAsync("chown", "postgres", _folder);
        }

        await AsServerUserAsync("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await AsServerUserAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off {_serverSettings}"), "start");
    }

    /// <summary>Runs SQL as the superuser (setting up tables and rows the trigger then reads).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await AsServerUserAsync("pg_ctl", "-D", Data, "-m", "immediate", "stop");
        }
        catch (InvalidOperationException)
        {
            // Not started (initdb failed): nothing to stop.
        }

        TestProcess.DeleteFolder(_folder);
    }

    private Task<string> AsServerUserAsync(string tool, params string[] arguments) =>
        TestProcess.IsRoot
            ? TestProcess.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : TestProcess.RunAsync(Path.Combine(_bin, tool), arguments);
}
