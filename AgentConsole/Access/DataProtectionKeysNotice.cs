using AgentConsole.Engine.Persistence;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>
/// Warns at start-up, outside Development, that the data-protection keys are stored unencrypted. A warning and not a
/// refusal by default, so a plain first start keeps working; <c>RequireProtectedDataProtectionKeys</c> makes it a refusal.
/// </summary>
internal sealed partial class DataProtectionKeysNotice(
    IHostEnvironment environment, IConfiguration configuration, IOptions<StorageOptions> storage, ILogger<DataProtectionKeysNotice> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(storage.Value.DataProtectionCertificatePath))
        {
            // On PostgreSQL outside Development the validation refused to start; in Development it is only said.
            if (DatabaseOptions.ProviderFrom(configuration) == DatabaseProvider.Postgres)
            {
                LogUnprotected(logger, "the database table DataProtectionKeys");
            }
            else if (!environment.IsDevelopment())
            {
                LogUnprotected(logger, storage.Value.DataProtectionKeysPath);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data-protection keys in {Path} are stored unencrypted: anyone who can read them can forge sign-in cookies. Set AgentConsole:Storage:DataProtectionCertificatePath (and its password from the environment) to encrypt them at rest")]
    private static partial void LogUnprotected(ILogger logger, string path);
}
