using System.Text;
using Microsoft.Extensions.AI;

namespace AgentConsole.Tests.Tools.Knowledge;

/// <summary>
/// A tiny deterministic embedding "model": each word (or its concept, when the test's synonym table knows one) adds
/// weight to one of 64 dimensions. Enough to prove that similarity finds a passage that shares no word with the
/// question ("reimbursement" → the refunds passage), with no network and no weights.
/// </summary>
public sealed class FakeEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "fake-embeddings-v1";
    private const int Dimensions = 64;

    private static readonly Dictionary<string, string> Concepts = new(StringComparer.Ordinal)
    {
        ["refund"] = "money-back", ["refunds"] = "money-back", ["reimbursement"] = "money-back", ["reimbursed"] = "money-back", ["repaid"] = "money-back",
        ["encrypted"] = "secrecy", ["confidential"] = "secrecy", ["cipher"] = "secrecy",
        ["delivery"] = "transport", ["shipping"] = "transport", ["courier"] = "transport", ["parcel"] = "transport",
    };

    private static readonly HashSet<string> StopWords = ["the", "a", "an", "of", "to", "is", "are", "and", "or", "in", "on", "for", "my", "i", "how", "do", "get", "within", "when", "by", "with"];

    /// <summary>Set to make every call fail, as an unreachable provider would.</summary>
    public bool Fail { get; set; }

    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        if (Fail)
        {
            throw new HttpRequestException("The embedding endpoint is unreachable (fake).");
        }

        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)) { ModelId = ModelId })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fake", null, ModelId, Dimensions)
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        var words = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            words.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        foreach (var word in words.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !StopWords.Contains(w)))
        {
            var concept = Concepts.GetValueOrDefault(word, word);
            // Concepts weigh more than plain words, as meaning would in a real model.
            vector[Bucket(concept)] += Concepts.ContainsKey(word) ? 3f : 1f;
        }

        return vector;
    }

    private static int Bucket(string word)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Dimensions);
    }
}
