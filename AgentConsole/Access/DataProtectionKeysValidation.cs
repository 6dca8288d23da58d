using AgentConsole.Engine.Persistence;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>
/// Start-up checks of the data-protection key settings, on the options validation path so a mistake stops start-up
/// with one line naming the setting.
/// </summary>
internal sealed class DataProtectionKeysValidation(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!string.IsNullOrEmpty(options.DataProtectionCertificatePath))
        {
            if (DataProtectionKeys.TryLoadCertificate(options, environment.ContentRootPath, out var certificate, out var error))
            {
                certificate.Dispose();
                return ValidateOptionsResult.Success;
            }

            return ValidateOptionsResult.Fail(
                    $"AgentConsole:Storage:DataProtectionCertificatePath: {error}; give a PFX file with its private key and set its password in AgentConsole__Storage__DataProtectionCertificatePassword.");
        }

        if (DatabaseOptions.ProviderFrom(configuration) == DatabaseProvider.Postgres && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                "AgentConsole:Storage:DataProtectionCertificatePath is empty, but on PostgreSQL the data-protection keys are stored in the " +
                "shared database and must be encrypted there: configure a PFX certificate (the same on every instance) and its password " +
                "in AgentConsole__Storage__DataProtectionCertificatePassword.");
        }

        if (options.RequireProtectedDataProtectionKeys && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                "AgentConsole:Storage:RequireProtectedDataProtectionKeys is true but AgentConsole:Storage:DataProtectionCertificatePath is empty: " +
                "configure a certificate to encrypt the data-protection keys at rest.");
        }

        return ValidateOptionsResult.Success;
    }
}
