using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentConsole.Engine.Models;

/// <summary>A configured model provider as the UI and the runtime see it; never carries the key.</summary>
public sealed record ModelProvider(
    string Name,
    ModelProviderKind Kind,
    string Label,
    bool IsConfigured,
    string? Model,
    string? Endpoint,
    decimal InputPricePerMillion,
    decimal OutputPricePerMillion,
    int MaxOutputTokens)
{
    public const string OfflineLabel = "Offline (deterministic)";

    /// <summary>USD for a call, from the price table.</summary>
    public decimal Cost(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPricePerMillion) + (outputTokens * OutputPricePerMillion)) / 1_000_000m;

    /// <summary>Why runs cannot use this provider, or null.</summary>
    public string? NotConfiguredReason => IsConfigured ? null
        : $"Model provider '{Name}' is not configured: set its API key (AgentConsole__Models__Providers__{Name}__ApiKey).";
}

/// <summary>The model providers from configuration, and one <see cref="IChatClient"/> per provider.</summary>
public sealed class ModelProviders(IOptionsMonitor<ModelOptions> options, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, (ModelProviderOptions Options, IChatClient Client)> _clients = new(StringComparer.OrdinalIgnoreCase);

    public string DefaultName => string.IsNullOrWhiteSpace(options.CurrentValue.Default) ? ModelOptions.OfflineProvider : options.CurrentValue.Default;

    public IReadOnlyList<ModelProvider> List()
    {
        var configured = Configured();
        return [.. configured.Select(p => Describe(p.Key, p.Value)).OrderBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The provider an agent uses: the one it names, else the default. Null when the name is unknown.</summary>
    public ModelProvider? Resolve(string? name)
    {
        var configured = Configured();
        var key = string.IsNullOrWhiteSpace(name) ? DefaultName : name.Trim();
        return configured.TryGetValue(key, out var provider) ? Describe(key, provider) : null;
    }

    /// <summary>The bare provider client (no middleware); the run pipeline wraps it.</summary>
    public IChatClient CreateClient(ModelProvider provider)
    {
        var current = Configured()[provider.Name];
        var entry = _clients.AddOrUpdate(
            provider.Name,
            _ => (current, Build(current)),
            (_, existing) => ReferenceEquals(existing.Options, current) ? existing : (current, Build(current)));
        return entry.Client;
    }

    private Dictionary<string, ModelProviderOptions> Configured()
    {
        var providers = new Dictionary<string, ModelProviderOptions>(options.CurrentValue.Providers, StringComparer.OrdinalIgnoreCase);
        // Offline is always there, so a fresh install and every test can run agents.
        providers.TryAdd(ModelOptions.OfflineProvider, DefaultOffline);
        return providers;
    }

    // One instance, so the client cache below recognises it and keeps its client.
    private static readonly ModelProviderOptions DefaultOffline = new()
    {
        Kind = ModelProviderKind.Offline,
        InputPricePerMillion = 0.15m,
        OutputPricePerMillion = 0.60m,
    };

    private static ModelProvider Describe(string name, ModelProviderOptions p) => p.Kind == ModelProviderKind.Offline
        ? new ModelProvider(name, p.Kind, ModelProvider.OfflineLabel, true, "offline", null, p.InputPricePerMillion, p.OutputPricePerMillion, p.MaxOutputTokens)
        : new ModelProvider(name, p.Kind, $"{name} ({p.Model})", !string.IsNullOrWhiteSpace(p.ApiKey), p.Model, p.Endpoint, p.InputPricePerMillion, p.OutputPricePerMillion, p.MaxOutputTokens);

    private IChatClient Build(ModelProviderOptions p)
    {
        if (p.Kind == ModelProviderKind.Offline)
        {
            return new OfflineChatClient(time);
        }

        var client = new OpenAI.Chat.ChatClient(p.Model, new ApiKeyCredential(p.ApiKey ?? ""), new OpenAIClientOptions
        {
            Endpoint = new Uri(p.Endpoint!),
            NetworkTimeout = TimeSpan.FromSeconds(p.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(p.MaxRetries),
        });
        return client.AsIChatClient();
    }
}
