using AgentConsole.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// Refuses to start outside Development when the audit key would be read from (or generated into) a file inside the
/// data folder: whoever copies that folder would hold the events and the key that proves them unaltered.
/// Runs on the options validation path so the failure is one line naming the setting, not a stack trace.
/// </summary>
internal sealed class AuditKeyLocation(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (environment.IsDevelopment() || options.AllowKeyFileInDataFolder
            || !string.IsNullOrEmpty(options.HmacKey) || options.Keys.ContainsKey(options.CurrentKeyVersion))
        {
            return ValidateOptionsResult.Success;
        }

        var keyFile = AuditKey.KeyFilePath(options, environment.ContentRootPath);
        var dataFolder = DataFolder();
        if (dataFolder is null || !keyFile.StartsWith(dataFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"AgentConsole:Audit:HmacKey is not set and the audit key file {keyFile} is inside the data folder {dataFolder}: " +
            "outside Development set the key from the environment (AgentConsole__Audit__HmacKey), move AgentConsole:Audit:KeyFile " +
            "out of the data folder, or set AgentConsole:Audit:AllowKeyFileInDataFolder=true to accept it.");
    }

    /// <summary>The folder of the application database; null when the connection string names no file.</summary>
    private string? DataFolder()
    {
        try
        {
            var connection = configuration.GetConnectionString("AgentConsole") ?? StorageOptions.DefaultConnectionString;
            var dataSource = new SqliteConnectionStringBuilder(connection).DataSource;
            if (string.IsNullOrWhiteSpace(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return Path.GetDirectoryName(Path.GetFullPath(Path.Combine(environment.ContentRootPath, dataSource)));
        }
        catch (ArgumentException)
        {
            // A malformed connection string is reported by the storage's own validation.
            return null;
        }
    }
}
