using Microsoft.Data.Sqlite;

namespace AgentConsole.Engine.Persistence;

/// <summary>Resolves a SQLite connection string's file against the content root so the app runs from any working directory.</summary>
public static class SqlitePaths
{
    public static string ResolveConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        builder.DataSource = ResolveFile(builder.DataSource, contentRoot);
        return builder.ToString();
    }

    /// <summary>Returns the absolute database file path and makes sure its folder exists.</summary>
    public static string ResolveFile(string dataSource, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            throw new InvalidOperationException("The SQLite connection string has no Data Source.");
        }

        if (dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return dataSource;
        }

        var path = Path.IsPathRooted(dataSource) ? dataSource : Path.GetFullPath(Path.Combine(contentRoot, dataSource));
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return path;
    }
}
