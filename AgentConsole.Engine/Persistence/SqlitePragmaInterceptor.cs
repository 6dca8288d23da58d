using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// Sets per-connection pragmas: a busy timeout so concurrent writers wait instead of failing,
/// and foreign keys. WAL is persistent and set once at start-up.
/// </summary>
internal sealed class SqlitePragmaInterceptor(int busyTimeoutMilliseconds) : DbConnectionInterceptor
{
    private readonly string _pragmas = $"PRAGMA busy_timeout={busyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
