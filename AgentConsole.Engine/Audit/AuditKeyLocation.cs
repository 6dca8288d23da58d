using AgentConsole.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// Refuses to start outside Development when the audit key would be read from (or generated into) a file inside the
/// data folder: whoever copies that folder would hold the events and the key that proves them unaltered.
/// On PostgreSQL it refuses any key that does not come from configuration, in Development too: instances share one
/// chain and must share its key. Runs on the options validation path (also whenever the options are read, so the key
/// file is never generated) so the failure is one line naming the setting, not a stack trace.
/// </summary>
internal sealed class AuditKeyLocation(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var keyFromConfiguration = !string.IsNullOrEmpty(options.HmacKey) || options.Keys.ContainsKey(options.CurrentKeyVersion);
        if (!keyFromConfiguration && IsPostgres())
        {
            // Several instances share one chain, and each would generate a key file of its own: every instance would
            // refuse the others' outbox rows and no instance could verify the others' events. In Development too.
            return ValidateOptionsResult.Fail(
                "AgentConsole:Audit:HmacKey must be set (or AgentConsole:Audit:Keys:" + options.CurrentKeyVersion + ") when " +
                "AgentConsole:Database:Provider is Postgres: every instance must seal and verify with the same audit key, so it comes " +
                "from configuration (e.g. the environment variable AgentConsole__Audit__HmacKey, at least 32 characters), never from a " +
                "key file each instance would generate for itself.");
        }

        if (environment.IsDevelopment() || options.AllowKeyFileInDataFolder || keyFromConfiguration)
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

    private bool IsPostgres()
    {
        try
        {
            return DatabaseOptions.ProviderFrom(configuration) == DatabaseProvider.Postgres;
        }
        catch (OptionsValidationException)
        {
            // An unknown provider is reported by the database options' own check.
            return false;
        }
    }

    /// <summary>The folder of the application's SQLite database; null when the connection string names no file (or on PostgreSQL).</summary>
    private string? DataFolder()
    {
        if (IsPostgres())
        {
            return null;
        }

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
