using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Knowledge;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Tools.Knowledge;

/// <summary>A real migrated SQLite file with two agents and a knowledge base over it (optionally with a fake embedding model).</summary>
public sealed class KnowledgeTestBed : IAsyncDisposable
{
    public const string Alpha = "alpha-agent";
    public const string Beta = "beta-agent";
    public const string Owner = "owner@example.com";

    private KnowledgeTestBed(TestDatabase database, KnowledgeBase knowledge, ServiceProvider callServices)
    {
        Database = database;
        Knowledge = knowledge;
        CallServices = callServices;
    }

    public TestDatabase Database { get; }

    public KnowledgeBase Knowledge { get; }

    /// <summary>What a tool call's <see cref="ToolCall.Services"/> resolves the knowledge base from.</summary>
    public ServiceProvider CallServices { get; }

    public static async Task<KnowledgeTestBed> CreateAsync(Action<KnowledgeOptions>? configure = null, IEmbeddingGenerator<string, Embedding<float>>? generator = null)
    {
        var database = await TestDatabase.CreateAsync();
        var options = new KnowledgeOptions();
        configure?.Invoke(options);
        var embeddings = new KnowledgeEmbeddings(generator is null ? [] : [generator], database.Get<IOptionsMonitor<ModelOptions>>(), Options.Create(options));
        var knowledge = new KnowledgeBase(database.Contexts, Options.Create(options), embeddings, database.Get<AuditLog>(), database.Time, NullLogger<KnowledgeBase>.Instance);
        foreach (var key in new[] { Alpha, Beta })
        {
            var definition = DemoWorkspace.LeadRouter();
            definition.Key = key;
            definition.Name = key;
            definition.EngineRoutes = [];
        // The knowledge base needs no grants; the connector tests call it directly.
        definition.Tools = [];
            var created = await database.Get<AgentCatalog>().CreateAsync(definition, "system");
            Assert.True(created.Agent is not null, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        }

        return new KnowledgeTestBed(database, knowledge, new ServiceCollection().AddSingleton(knowledge).BuildServiceProvider());
    }

    public static KnowledgeUpload Markdown(string fileName, string text, string? title = null) => new(title, fileName, System.Text.Encoding.UTF8.GetBytes(text));

    public async Task<KnowledgeDocumentView> AddAsync(string agent, string fileName, string text, string? title = null)
    {
        var result = await Knowledge.UploadAsync(agent, Markdown(fileName, text, title), Owner);
        Assert.True(result.Outcome == KnowledgeUploadOutcome.Saved, result.Message);
        return result.Document!;
    }

    public async Task<IReadOnlyList<string>> ActionsAsync()
    {
        await Database.Get<AuditChain>().SealPendingAsync();
        await using var db = await Database.Contexts.CreateDbContextAsync();
        return await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CallServices.DisposeAsync();
        await Database.DisposeAsync();
    }
}
