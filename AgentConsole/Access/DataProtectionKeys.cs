using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentConsole.Engine.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>
/// Where ASP.NET Core data-protection keys (sign-in cookies, antiforgery) live and how they are protected at rest:
/// in the configured folder on SQLite, in the database on PostgreSQL (shared by every instance), encrypted with a
/// certificate when one is configured. Without one the key XML is plain text, and whoever reads it can forge sign-in
/// cookies; on PostgreSQL the certificate is required outside Development.
/// </summary>
internal static class DataProtectionKeys
{
    public static IServiceCollection AddConsoleDataProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var builder = services.AddDataProtection().SetApplicationName("AgentConsole");
        if (DatabaseOptions.ProviderFrom(configuration) == DatabaseProvider.Postgres)
        {
            // Several instances share one key ring, or a cookie signed by one is refused by the next behind the load balancer.
            builder.PersistKeysToDbContext<AgentConsoleDbContext>();
        }
        else
        {
            // Keys live with the data by default so sign-ins survive restarts and the folder is the whole state of an install.
            builder.PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(Path.Combine(environment.ContentRootPath, storage.DataProtectionKeysPath))));
        }

        // A certificate that does not load is reported by DataProtectionKeysValidation when the host starts.
        if (TryLoadCertificate(storage, environment.ContentRootPath, out var certificate, out _))
        {
            builder.ProtectKeysWithCertificate(certificate);
        }

        services.AddSingleton<IValidateOptions<StorageOptions>, DataProtectionKeysValidation>();
        services.AddHostedService<DataProtectionKeysNotice>();
        return services;
    }

    /// <summary>Loads the configured PFX with its private key; false with a reason (never the password) when it cannot.</summary>
    public static bool TryLoadCertificate(StorageOptions storage, string contentRoot, out X509Certificate2 certificate, out string? error)
    {
        certificate = default!;
        error = null;
        if (string.IsNullOrEmpty(storage.DataProtectionCertificatePath))
        {
            return false;
        }

        var path = Path.GetFullPath(Path.Combine(contentRoot, storage.DataProtectionCertificatePath));
        try
        {
            var loaded = X509CertificateLoader.LoadPkcs12FromFile(path, storage.DataProtectionCertificatePassword);
            if (!loaded.HasPrivateKey)
            {
                loaded.Dispose();
                error = $"the certificate {path} has no private key";
                return false;
            }

            certificate = loaded;
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            error = $"the certificate {path} could not be loaded ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.', ' ')})";
            return false;
        }
    }
}
