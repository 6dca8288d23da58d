using System.ClientModel;
using AgentConsole.Engine.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// The embedding generator the knowledge base uses, if any: one registered in DI wins (a host or a test can bring
/// its own); otherwise an OpenAI-compatible provider from <c>AgentConsole:Models</c> that names an
/// <c>EmbeddingModel</c> and has a key. Without either, search ranks by BM25 alone and says so.
/// </summary>
public sealed class KnowledgeEmbeddings(
    IEnumerable<IEmbeddingGenerator<string, Embedding<float>>> registered,
    IOptionsMonitor<ModelOptions> models,
    IOptions<KnowledgeOptions> options)
{
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _registered = registered.LastOrDefault();
    private readonly Lock _gate = new();
    private (ModelProviderOptions Options, KnowledgeEmbedder Embedder)? _built;

    /// <summary>The generator and the model name stored with each vector; null: BM25 only.</summary>
    public KnowledgeEmbedder? Current()
    {
        if (_registered is not null)
        {
            var metadata = _registered.GetService<EmbeddingGeneratorMetadata>();
            return new KnowledgeEmbedder(_registered, metadata?.DefaultModelId ?? _registered.GetType().Name);
        }

        var provider = Configured();
        if (provider is null)
        {
            return null;
        }

        lock (_gate)
        {
            if (_built is { } built && ReferenceEquals(built.Options, provider))
            {
                return built.Embedder;
            }

            var client = new OpenAI.Embeddings.EmbeddingClient(provider.EmbeddingModel, new ApiKeyCredential(provider.ApiKey!), new OpenAIClientOptions
            {
                Endpoint = new Uri(provider.Endpoint!),
                NetworkTimeout = TimeSpan.FromSeconds(provider.TimeoutSeconds),
            });
            var embedder = new KnowledgeEmbedder(client.AsIEmbeddingGenerator(), provider.EmbeddingModel!);
            _built = (provider, embedder);
            return embedder;
        }
    }

    private ModelProviderOptions? Configured()
    {
        var providers = models.CurrentValue.Providers;
        var named = options.Value.EmbeddingProvider;
        IEnumerable<ModelProviderOptions> candidates = string.IsNullOrWhiteSpace(named)
            ? providers.OrderBy(p => !string.Equals(p.Key, models.CurrentValue.Default, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value)
            : providers.TryGetValue(named.Trim(), out var one) ? [one] : [];
        return candidates.FirstOrDefault(p => p.Kind == ModelProviderKind.OpenAI
            && !string.IsNullOrWhiteSpace(p.EmbeddingModel) && !string.IsNullOrWhiteSpace(p.ApiKey)
            && Uri.TryCreate(p.Endpoint, UriKind.Absolute, out _));
    }
}
