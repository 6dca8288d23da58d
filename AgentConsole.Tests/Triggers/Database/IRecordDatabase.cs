namespace AgentConsole.Tests.Triggers.Database;

/// <summary>The database a record trigger polls, as the shared tests see it: a provider name, a connection string, and a way to run setup SQL.</summary>
public interface IRecordDatabase
{
    string Provider { get; }

    string ConnectionString { get; }

    Task ExecuteAsync(string sql);
}
