using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>An embedding generator with the model name its vectors are stored under (vectors of two models never mix).</summary>
public sealed record KnowledgeEmbedder(IEmbeddingGenerator<string, Embedding<float>> Generator, string Model)
{
    public static byte[] ToBytes(ReadOnlyMemory<float> vector) => MemoryMarshal.AsBytes(vector.Span).ToArray();

    public static ReadOnlySpan<float> FromBytes(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes);

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            return 0;
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }
}
