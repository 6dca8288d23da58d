using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>Bound from <c>AgentConsole:Redaction</c>: which kinds of sensitive data never reach a model.</summary>
public sealed class RedactionOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Redaction";

    /// <summary>US social security numbers, <c>123-45-6789</c> or <c>123 45 6789</c>.</summary>
    public bool SocialSecurityNumbers { get; set; } = true;

    /// <summary>Payment card numbers of 13–19 digits that pass the Luhn check.</summary>
    public bool PaymentCards { get; set; } = true;

    /// <summary>IBANs whose mod-97 check holds.</summary>
    public bool Ibans { get; set; } = true;

    public bool EmailAddresses { get; set; } = true;

    /// <summary>E.164 numbers (<c>+49 30 1234567</c>) and North-American formats (<c>(555) 123-4567</c>).</summary>
    public bool PhoneNumbers { get; set; } = true;

    /// <summary>API keys and tokens with well-known prefixes, bearer tokens, JWTs and <c>password=…</c> style assignments.</summary>
    public bool Secrets { get; set; } = true;

    /// <summary>Extra patterns for every agent: placeholder name (A-Z0-9_, e.g. <c>CUSTOMER_ID</c>) → .NET regex.</summary>
    public Dictionary<string, string> CustomPatterns { get; set; } = [];

    public const int DefaultMaxCustomPatterns = 20;

    /// <summary>At most this many custom patterns per agent, and at most this many in <see cref="CustomPatterns"/>.</summary>
    [Range(1, 200)]
    public int MaxCustomPatterns { get; set; } = DefaultMaxCustomPatterns;

    /// <summary>
    /// How long all custom patterns together may scan one text. Past it the text is withheld (the model call fails
    /// and the run escalates) rather than sent half-scanned. Also caps one match of a pattern that needs backtracking.
    /// </summary>
    [Range(10, 60_000)]
    public int ScanBudgetMilliseconds { get; set; } = 2_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CustomPatterns?.Count > MaxCustomPatterns)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(CustomPatterns)} has {CustomPatterns.Count} patterns; at most {MaxCustomPatterns} ({Section}:{nameof(MaxCustomPatterns)}).",
                [nameof(CustomPatterns)]);
        }

        foreach (var (name, pattern) in CustomPatterns ?? [])
        {
            if (Redactor.ValidatePattern(name, pattern) is { } error)
            {
                yield return new ValidationResult($"{Section}:{nameof(CustomPatterns)}: {error}", [nameof(CustomPatterns)]);
            }
        }
    }
}
