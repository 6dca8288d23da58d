using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Audit;

/// <summary>Bound from <c>AgentConsole:Audit</c>.</summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Audit";
    public const int MinRetentionDays = 90;

    /// <summary>Seven years, leap days included.</summary>
    public const int MaxRetentionDays = 2557;

    /// <summary>
    /// The HMAC key that seals the chain (at least 32 characters). Set it from the environment
    /// (<c>AgentConsole__Audit__HmacKey</c>); it must never live in the database. Empty: a random key is
    /// generated once into <see cref="KeyFile"/>.
    /// </summary>
    public string? HmacKey { get; set; }

    /// <summary>Where the generated key is kept when <see cref="HmacKey"/> is empty; relative to the content root.</summary>
    public string KeyFile { get; set; } = "data/audit-hmac.key";

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
    }
}
