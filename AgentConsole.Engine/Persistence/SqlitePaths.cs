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

    /// <summary>
    /// Parses the connection string configured as <c>ConnectionStrings:<paramref name="name"/></c>; a malformed one
    /// becomes an <see cref="InvalidConfigurationException"/> that names the setting and the expected form.
    /// </summary>
    public static SqliteConnectionStringBuilder ParseConfigured(string name, string connectionString)
    {
        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
            {
                throw new ArgumentException("it has no Data Source.");
            }

            return builder;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidConfigurationException(
                $"ConnectionStrings:{name} must be a SQLite connection string such as 'Data Source=data/{name.ToLowerInvariant()}.db' ({e.Message.TrimEnd('.')}).", e);
        }
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
