using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Access;

/// <summary>
/// Bound from <c>AgentConsole:Bootstrap</c>; read only when the database has no users yet.
/// Set the secrets through environment variables or user secrets, never in a committed file.
/// </summary>
public sealed class BootstrapOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Bootstrap";

    /// <summary>Email of the first Admin.</summary>
    [EmailAddress]
    public string AdminEmail { get; set; } = "admin@agentconsole.local";

    /// <summary>Password of the first Admin; when empty a strong one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>An Admin API key to create on the empty database (at least 32 characters); none when empty.</summary>
    public string? ApiKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ApiKey) && ApiKey.Length < ApiKeyService.MinimumConfiguredLength)
        {
            yield return new ValidationResult(
                $"AgentConsole:Bootstrap:ApiKey must be at least {ApiKeyService.MinimumConfiguredLength} characters.",
                [nameof(ApiKey)]);
        }
    }
}
