using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AgentConsole.Benchmarks.ScaleOut;

/// <summary>
/// A throwaway PostgreSQL server for one benchmark run: Debian's binaries (package postgresql) run <c>initdb</c> into a
/// temp folder and <c>pg_ctl start</c> on a free loopback port (as the postgres user when run as root), with durable
/// commits (fsync and synchronous_commit stay on: the benchmark measures what an installation would get).
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentconsole-bench-pg", Guid.NewGuid().ToString("N"));
    private readonly string _bin;
    private readonly int _port;

    private BenchPostgres(string bin, int port) => (_bin, _port) = (bin, port);

    public string Version { get; private set; } = "";

    public static async Task<BenchPostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql, or run scripts/test.sh once.");
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new BenchPostgres(bin, port);
        Directory.CreateDirectory(server._folder);
        if (IsRoot)
        {
            await RunAsync("chown", "postgres", server._folder);
        }

        await server.AsServerUserAsync("initdb", "-D", server.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        await server.AsServerUserAsync("pg_ctl", "-D", server.Data, "-l", Path.Combine(server._folder, "server.log"), "-w", "-t", "60",
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {server._folder} -c listen_addresses=127.0.0.1 -c max_connections=400"), "start");
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        server.Version = connection.PostgreSqlVersion.ToString();
        return server;
    }

    public string ConnectionString(string database) => string.Create(CultureInfo.InvariantCulture,
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database}");

    public async Task<string> NewDatabaseAsync()
    {
        var name = $"bench_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AsServerUserAsync("pg_ctl", "-D", Data, "-m", "immediate", "stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans the temp folder.
            }
        }
    }

    private string Data => Path.Combine(_folder, "data");

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsServerUserAsync(string tool, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]) : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
