using System.Data.Common;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// A database trigger that refuses one kind of write with "disk I/O error" (a locked file, a full disk), on the provider
/// the tests run on: how run tests make the database fail at one exact write. The condition is SQL both providers read
/// (quoted identifiers, TRUE/FALSE, NEW/OLD); on PostgreSQL it is checked in the trigger's function, where subqueries
/// are allowed.
/// </summary>
public static class RefusedWrites
{
    public static Task CreateAsync(RunHost host, string name, string timing, string table, string condition) =>
        host.QueryAsync(db => db.Database.ExecuteSqlRawAsync(TestProvider.IsPostgres
            ? $"""
              CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF {condition} THEN RAISE EXCEPTION 'disk I/O error'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER "{name}" {timing} ON "{table}" FOR EACH ROW EXECUTE FUNCTION "{name}"();
              """
            : $"""CREATE TRIGGER "{name}" {timing} ON "{table}" WHEN {condition} BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;"""));

    public static Task DropAsync(RunHost host, string name, string table) =>
        host.QueryAsync(db => db.Database.ExecuteSqlRawAsync(TestProvider.IsPostgres
            ? $"""DROP TRIGGER "{name}" ON "{table}"; DROP FUNCTION "{name}"();"""
            : $"""DROP TRIGGER "{name}";"""));

    /// <summary>Runs SQL on a connection of its own to the installation in <paramref name="folder"/>, outside any host.</summary>
    public static void Execute(string folder, string sql)
    {
        using DbConnection connection = TestProvider.IsPostgres
            ? new Npgsql.NpgsqlConnection(File.ReadAllText(Path.Combine(folder, "postgres.connection")))
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "agentconsole.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
