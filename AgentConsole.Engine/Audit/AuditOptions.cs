using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Audit;

/// <summary>Bound from <c>AgentConsole:Audit</c>.</summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Audit";
    public const int MinRetentionDays = 90;

    /// <summary>Seven years, leap days included.</summary>
    public const int MaxRetentionDays = 2557;

    /// <summary>The key version of events sealed before key versions existed, and the default current version.</summary>
    public const string DefaultKeyVersion = "1";

    /// <summary>A key given as <c>base64:...</c> is raw bytes (e.g. a generated key file's content), else UTF-8 text.</summary>
    public const string Base64Prefix = "base64:";

    /// <summary>
    /// The HMAC key that seals the chain (at least 32 characters). Set it from the environment
    /// (<c>AgentConsole__Audit__HmacKey</c>); it must never live in the database. Empty: a random key is
    /// generated once into <see cref="KeyFile"/> — on SQLite only: on PostgreSQL every instance must seal with the same
    /// key, so this (or <see cref="Keys"/>) is required there.
    /// </summary>
    public string? HmacKey { get; set; }

    /// <summary>Where the generated key is kept when <see cref="HmacKey"/> is empty; relative to the content root.</summary>
    public string KeyFile { get; set; } = "data/audit-hmac.key";

    /// <summary>
    /// Outside Development a key file inside the data folder is refused at start-up: a copy of that folder (a backup,
    /// a stolen disk) would hold both the chain and the key that seals it. True accepts it anyway.
    /// </summary>
    public bool AllowKeyFileInDataFolder { get; set; }

    /// <summary>
    /// The version id stamped on every new event; <see cref="HmacKey"/> (or the key file) is the key of this version
    /// unless <see cref="Keys"/> names it.
    /// </summary>
    public string CurrentKeyVersion { get; set; } = DefaultKeyVersion;

    /// <summary>
    /// Keys by version id (at least 32 characters each, or <c>base64:</c> and the bytes), the current one and every
    /// previous one whose events must stay verifiable, e.g. <c>AgentConsole__Audit__Keys__2</c>.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>Largest audit payload stored, in bytes of JSON; a larger one is replaced by a truncation marker.</summary>
    [Range(1024, 1_048_576)]
    public int MaxPayloadBytes { get; set; } = 65_536;

    /// <summary>Days events are kept unless their category says otherwise (90 days to 7 years).</summary>
    public int RetentionDays { get; set; } = MinRetentionDays;

    /// <summary>Per-category retention in days, e.g. <c>"Security": 2557</c>.</summary>
    public Dictionary<string, int> CategoryRetentionDays { get; set; } = [];

    /// <summary>How many events one purge transaction deletes.</summary>
    [Range(100, 1_000_000)]
    public int PurgeBatchSize { get; set; } = 10_000;

    /// <summary>How many outbox entries one sealing transaction moves into the chain.</summary>
    [Range(1, 100_000)]
    public int SealBatchSize { get; set; } = 5_000;

    /// <summary>Largest page a search may ask for.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 500;

    public int RetentionFor(AuditCategory category) =>
        CategoryRetentionDays.TryGetValue(category.ToString(), out var days) ? days : RetentionDays;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetentionDays is < MinRetentionDays or > MaxRetentionDays)
        {
            yield return new ValidationResult(
                $"AgentConsole:Audit:RetentionDays must be between {MinRetentionDays} and {MaxRetentionDays} (7 years); it is {RetentionDays}.",
                [nameof(RetentionDays)]);
        }

        foreach (var (name, days) in CategoryRetentionDays)
        {
            if (!Enum.TryParse<AuditCategory>(name, ignoreCase: false, out _))
            {
                yield return new ValidationResult(
                    $"AgentConsole:Audit:CategoryRetentionDays:{name} is not a category; use one of {string.Join(", ", Enum.GetNames<AuditCategory>())}.",
                    [nameof(CategoryRetentionDays)]);
            }
            else if (days is < MinRetentionDays or > MaxRetentionDays)
            {
                yield return new ValidationResult(
                    $"AgentConsole:Audit:CategoryRetentionDays:{name} must be between {MinRetentionDays} and {MaxRetentionDays} days; it is {days}.",
                    [nameof(CategoryRetentionDays)]);
            }
        }

        if (!string.IsNullOrEmpty(HmacKey) && HmacKey.Length < 32)
        {
            yield return new ValidationResult("AgentConsole:Audit:HmacKey must be at least 32 characters.", [nameof(HmacKey)]);
        }

        if (!IsKeyVersion(CurrentKeyVersion))
        {
            yield return new ValidationResult(
                $"AgentConsole:Audit:CurrentKeyVersion must be 1-32 letters, digits, '.', '_' or '-'; it is '{CurrentKeyVersion}'.",
                [nameof(CurrentKeyVersion)]);
        }

        foreach (var (version, key) in Keys)
        {
            if (!IsKeyVersion(version))
            {
                yield return new ValidationResult(
                    $"AgentConsole:Audit:Keys:{version} is not a valid key version: use 1-32 letters, digits, '.', '_' or '-'.", [nameof(Keys)]);
            }
            else if (!IsStrongKey(key))
            {
                // Never the key itself in the message: start-up errors end up in logs.
                yield return new ValidationResult(
                    $"AgentConsole:Audit:Keys:{version} must be at least 32 characters (or base64: and at least 32 bytes).", [nameof(Keys)]);
            }
        }

        if (!string.IsNullOrEmpty(HmacKey) && Keys.ContainsKey(CurrentKeyVersion))
        {
            yield return new ValidationResult(
                $"AgentConsole:Audit:HmacKey and AgentConsole:Audit:Keys:{CurrentKeyVersion} both set the current key; set only one.",
                [nameof(HmacKey)]);
        }
    }

    internal static bool IsKeyVersion(string? version) =>
        version is { Length: > 0 and <= 32 } && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsStrongKey(string? key)
    {
        if (key is null || !key.StartsWith(Base64Prefix, StringComparison.Ordinal))
        {
            return key is { Length: >= 32 };
        }

        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key[Base64Prefix.Length..], buffer, out var written) && written >= 32;
    }
}
