using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Access;

/// <summary>
/// Bound from <c>AgentConsole:RateLimits</c>. Sign-in and API-key guessing are limited hard; run creation only
/// far above what a legitimate integration sends (the throughput goal is 250 runs/s from one key to one agent).
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "AgentConsole:RateLimits";

    /// <summary>Failed sign-ins per e-mail address (known or not), on top of Identity's lockout.</summary>
    [Required]
    public WindowLimit LoginFailuresPerAccount { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Failed sign-ins per client IP, whatever the account: stops password spraying.</summary>
    [Required]
    public WindowLimit LoginFailuresPerIp { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Requests with an unknown or revoked API key per client IP.</summary>
    [Required]
    public WindowLimit ApiKeyFailuresPerIp { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Runs one API key or user may start (POST /api/v1/agents/{key}/runs and re-runs).</summary>
    [Required]
    public TokenBucketLimit RunsPerCaller { get; set; } = new() { Burst = 2000, PerSecond = 1000 };

    /// <summary>Runs one agent may be started with, whoever starts them.</summary>
    [Required]
    public TokenBucketLimit RunsPerAgent { get; set; } = new() { Burst = 2000, PerSecond = 1000 };

    /// <summary>Audit chain verifications (a walk over every event) per Admin or API key.</summary>
    [Required]
    public WindowLimit AuditVerificationsPerCaller { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(1) };

    // Data annotations stop at the top level; the nested limits are checked here so a bad one names its key.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        object[] limits =
        [
            LoginFailuresPerAccount, LoginFailuresPerIp, ApiKeyFailuresPerIp, RunsPerCaller, RunsPerAgent, AuditVerificationsPerCaller,
        ];
        string[] names =
        [
            nameof(LoginFailuresPerAccount), nameof(LoginFailuresPerIp), nameof(ApiKeyFailuresPerIp), nameof(RunsPerCaller),
            nameof(RunsPerAgent), nameof(AuditVerificationsPerCaller),
        ];
        for (var i = 0; i < limits.Length; i++)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(limits[i], new ValidationContext(limits[i]), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    yield return new ValidationResult($"{Section}:{names[i]}: {result.ErrorMessage}", [names[i]]);
                }
            }
        }
    }
}
