using AgentConsole.Engine.Models;
using AgentConsole.Engine.Tools.Knowledge;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Tools.Knowledge;

public sealed class KnowledgeEmbeddingsTests
{
    private sealed class Monitor(ModelOptions value) : IOptionsMonitor<ModelOptions>
    {
        public ModelOptions CurrentValue => value;

        public ModelOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ModelOptions, string?> listener) => null;
    }

    private static ModelProviderOptions OpenAi(string? embeddingModel, string? key = "sk-test") => new()
    {
        Kind = ModelProviderKind.OpenAI, Endpoint = "http://127.0.0.1:9/v1", Model = "chat", ApiKey = key, EmbeddingModel = embeddingModel,
    };

    private static KnowledgeEmbedder? Current(ModelOptions models, string? provider = null, FakeEmbeddingGenerator? registered = null) =>
        new KnowledgeEmbeddings(registered is null ? [] : [registered], new Monitor(models), Options.Create(new KnowledgeOptions { EmbeddingProvider = provider })).Current();

    [Fact]
    public void Current_IsNull_WhenNoProviderNamesAnEmbeddingModel()
    {
        var models = new ModelOptions { Providers = { ["openai"] = OpenAi(null) } };

        Assert.Null(Current(models));
    }

    [Fact]
    public void Current_IsNull_WhenTheProviderHasNoKey()
    {
        var models = new ModelOptions { Providers = { ["openai"] = OpenAi("text-embedding-3-small", key: "") } };

        Assert.Null(Current(models));
    }

    [Fact]
    public void Current_UsesTheNamedProvider_ElseTheFirstThatNamesAModel()
    {
        var models = new ModelOptions { Providers = { ["a"] = OpenAi("embed-a"), ["b"] = OpenAi("embed-b") } };

        Assert.Equal("embed-b", Current(models, provider: "b")!.Model);
        Assert.Equal("embed-a", Current(models)!.Model);
        Assert.Null(Current(models, provider: "missing"));
    }

    [Fact]
    public void Current_PrefersAGeneratorRegisteredInDi()
    {
        var models = new ModelOptions { Providers = { ["openai"] = OpenAi("text-embedding-3-small") } };

        Assert.Equal(FakeEmbeddingGenerator.ModelId, Current(models, registered: new FakeEmbeddingGenerator())!.Model);
    }
}
