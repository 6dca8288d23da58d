using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Models;

public enum ModelProviderKind
{
    /// <summary>The deterministic, network-free model built into the console.</summary>
    Offline,

    /// <summary>Any OpenAI-compatible chat completions endpoint: OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio.</summary>
    OpenAI,
}

/// <summary>
/// Bound from <c>AgentConsole:Models</c>. Keys come from configuration or the environment
/// (<c>AgentConsole__Models__Providers__openai__ApiKey</c>), never from the database.
/// </summary>
public sealed class ModelOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Models";
    public const string OfflineProvider = "offline";

    /// <summary>The provider agents use when they name none.</summary>
    public string Default { get; set; } = OfflineProvider;

    /// <summary>Providers by name. An <c>offline</c> provider always exists, configured or not.</summary>
    public Dictionary<string, ModelProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Default) && !Providers.ContainsKey(Default) && !string.Equals(Default, OfflineProvider, StringComparison.OrdinalIgnoreCase))
        {
            var configured = Providers.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", Providers.Keys);
            yield return new ValidationResult(
                $"AgentConsole:Models:Default names '{Default}', which is not a provider; expected '{OfflineProvider}' or a name under AgentConsole:Models:Providers ({configured}).", [nameof(Default)]);
        }

        foreach (var (name, provider) in Providers)
        {
            foreach (var problem in provider.Problems(name))
            {
                yield return new ValidationResult(problem, [nameof(Providers)]);
            }
        }
    }
}

/// <summary>One model provider: where it is, which model, and what a million tokens cost.</summary>
public sealed class ModelProviderOptions
{
    public ModelProviderKind Kind { get; set; } = ModelProviderKind.OpenAI;

    /// <summary>Base address of the OpenAI-compatible API, e.g. https://api.openai.com/v1 or http://localhost:11434/v1.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Secret; from configuration or environment only. Empty means the provider is not configured.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model id sent to the endpoint, e.g. gpt-4o-mini.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// Optional embedding model at the same endpoint (e.g. text-embedding-3-small); when set, agents' knowledge bases
    /// rank by BM25 combined with embedding similarity.
    /// </summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>USD per million input (prompt) tokens.</summary>
    public decimal InputPricePerMillion { get; set; }

    /// <summary>USD per million output (completion) tokens.</summary>
    public decimal OutputPricePerMillion { get; set; }

    /// <summary>How long one model call may take before it counts as failed.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Most tokens one answer may have; also what the budget guard reserves for the answer.</summary>
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>Retries of 429 and 5xx answers (with the endpoint's Retry-After) before a call fails.</summary>
    public int MaxRetries { get; set; } = 2;

    internal IEnumerable<string> Problems(string name)
    {
        var prefix = $"AgentConsole:Models:Providers:{name}";
        if (!Enum.IsDefined(Kind))
        {
            yield return $"{prefix}:Kind must be Offline or OpenAI.";
        }

        if (InputPricePerMillion < 0 || OutputPricePerMillion < 0)
        {
            yield return $"{prefix}: prices per million tokens cannot be negative.";
        }

        if (TimeoutSeconds is < 1 or > 3600)
        {
            yield return $"{prefix}:TimeoutSeconds must be between 1 and 3600.";
        }

        if (MaxOutputTokens is < 16 or > 1_000_000)
        {
            yield return $"{prefix}:MaxOutputTokens must be between 16 and 1000000.";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"{prefix}:MaxRetries must be between 0 and 10.";
        }

        if (Kind == ModelProviderKind.OpenAI)
        {
            if (string.IsNullOrWhiteSpace(Endpoint) || !Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"{prefix}:Endpoint must be an absolute http(s) address, e.g. https://api.openai.com/v1.";
            }

            if (string.IsNullOrWhiteSpace(Model))
            {
                yield return $"{prefix}:Model is required for an OpenAI-compatible provider.";
            }
        }
    }
}
