using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// The HMAC keys of the chain by version id: the current one seals new events and authenticates outbox rows, the
/// previous ones keep older events verifiable after a rotation. They come from configuration or a key file beside
/// the data, never from the database, so someone with only database access cannot recompute hashes after editing rows.
/// </summary>
public sealed class AuditKey
{
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public AuditKey(IOptions<AuditOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        CurrentVersion = o.CurrentKeyVersion;
        foreach (var (version, key) in o.Keys)
        {
            _keys[version] = Decode(key);
        }

        if (!string.IsNullOrEmpty(o.HmacKey))
        {
            _keys[CurrentVersion] = Encoding.UTF8.GetBytes(o.HmacKey);
            Source = "configuration";
        }
        else if (_keys.ContainsKey(CurrentVersion))
        {
            Source = "configuration";
        }
        else
        {
            var path = KeyFilePath(o, environment.ContentRootPath);
            _keys[CurrentVersion] = LoadOrCreate(path);
            Source = path;
        }
    }

    internal AuditKey(byte[] bytes)
        : this(new Dictionary<string, byte[]> { [AuditOptions.DefaultKeyVersion] = bytes }, AuditOptions.DefaultKeyVersion)
    {
    }

    internal AuditKey(IReadOnlyDictionary<string, byte[]> keys, string currentVersion)
    {
        foreach (var (version, key) in keys)
        {
            _keys[version] = key;
        }

        CurrentVersion = currentVersion;
        Source = "test";
    }

    /// <summary>The version id stamped on new events.</summary>
    public string CurrentVersion { get; }

    /// <summary>Every version this process can verify, the current one included.</summary>
    public IReadOnlyCollection<string> Versions => _keys.Keys;

    internal byte[] Bytes => _keys[CurrentVersion];

    /// <summary>Where the key came from, for the Settings page (never the key itself).</summary>
    public string Source { get; }

    internal bool TryGet(string version, out byte[] key) => _keys.TryGetValue(version, out key!);

    internal static string KeyFilePath(AuditOptions options, string contentRoot) => Path.GetFullPath(Path.Combine(contentRoot, options.KeyFile));

    private static byte[] Decode(string key) => key.StartsWith(AuditOptions.Base64Prefix, StringComparison.Ordinal)
        ? Convert.FromBase64String(key[AuditOptions.Base64Prefix.Length..])
        : Encoding.UTF8.GetBytes(key);

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Written beside the key file and moved into place, so a crash mid-write never leaves an empty key file behind.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var writer = new StreamWriter(temporary, Encoding.ASCII, options))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: both must seal with that one.
            File.Delete(temporary);
            return Read(path);
        }

        return key;
    }

    // An empty or cut-off file would otherwise become a short (even empty) HMAC key that anyone can reproduce.
    private static byte[] Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written >= 32)
        {
            return buffer[..written];
        }

        throw new InvalidConfigurationException(
            $"The audit key file {path} does not hold a base64 key of at least 32 bytes (it is empty or damaged): restore it " +
            "from your backup, or set AgentConsole:Audit:HmacKey; a new key would leave the existing events unverifiable.");
    }
}
