using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// The HMAC key of the chain. It comes from configuration or a key file beside the data, never from the
/// database, so someone with only database access cannot recompute hashes after editing rows.
/// </summary>
public sealed class AuditKey
{
    public AuditKey(IOptions<AuditOptions> options, IHostEnvironment environment)
    {
        var configured = options.Value.HmacKey;
        if (!string.IsNullOrEmpty(configured))
        {
            Bytes = Encoding.UTF8.GetBytes(configured);
            Source = "configuration";
            return;
        }

        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.KeyFile));
        Bytes = LoadOrCreate(path);
        Source = path;
    }

    internal AuditKey(byte[] bytes)
    {
        Bytes = bytes;
        Source = "test";
    }

    internal byte[] Bytes { get; }

    /// <summary>Where the key came from, for the Settings page (never the key itself).</summary>
    public string Source { get; }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.ASCII, options))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        return key;
    }
}
