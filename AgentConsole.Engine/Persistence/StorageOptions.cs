using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// Bound from <c>AgentConsole:Storage</c>. The connection strings themselves are
/// <c>ConnectionStrings:AgentConsole</c> and <c>ConnectionStrings:Hangfire</c>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "AgentConsole:Storage";
    public const string DefaultConnectionString = "Data Source=data/agentconsole.db";
    public const string DefaultHangfireConnectionString = "Data Source=data/hangfire.db";

    /// <summary>How long a SQLite writer waits for a lock before failing, in milliseconds.</summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>Folder for ASP.NET Core data-protection keys (auth cookies, antiforgery); relative to the content root.</summary>
    public string DataProtectionKeysPath { get; set; } = "data/keys";

    /// <summary>
    /// A PFX certificate (with its private key) that encrypts the data-protection keys at rest; relative to the content
    /// root. Empty: the keys are stored unencrypted (a warning at start-up outside Development).
    /// </summary>
    public string? DataProtectionCertificatePath { get; set; }

    /// <summary>The PFX's password; set it from the environment (<c>AgentConsole__Storage__DataProtectionCertificatePassword</c>).</summary>
    public string? DataProtectionCertificatePassword { get; set; }

    /// <summary>Outside Development, refuse to start while the data-protection keys would be stored unencrypted.</summary>
    public bool RequireProtectedDataProtectionKeys { get; set; }

    /// <summary>Apply pending EF Core migrations at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
