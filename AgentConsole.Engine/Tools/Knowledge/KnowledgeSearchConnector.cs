using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// <c>knowledge_search</c>: the calling agent's own documents, best passages first. How an agent "learns" without a
/// prompt change. The agent is the call's <see cref="ToolCall.AgentKey"/>, never an argument, so no model output can
/// read another agent's knowledge base. Documents live in this app's database in sandbox and live mode alike.
/// </summary>
public sealed class KnowledgeSearchConnector : IConnector
{
    public const string ConnectorKey = "knowledge";
    public const string SearchTool = "knowledge_search";

    public string Key => ConnectorKey;

    public string Name => "Knowledge base";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(SearchTool, "Search the agent's knowledge base",
            "Search the documents people uploaded to your knowledge base (policies, product facts, playbooks) and return the best-matching passages with their document title and heading. Ask in plain words; put an exact phrase in double quotes.",
            """{"type":"object","properties":{"query":{"type":"string","description":"What to look for, in plain words; \"quoted phrases\" must appear as written","minLength":1,"maxLength":1000},"limit":{"type":"integer","description":"How many passages to return (default 5)","minimum":1,"maximum":20}},"required":["query"]}""",
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectorKey) { Idempotent = true },
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        if (toolCall.Tool.Key != SearchTool)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, $"The knowledge connector has no tool '{toolCall.Tool.Key}'.");
        }

        var query = toolCall.RequiredText("query");
        int? limit = toolCall.Arguments["limit"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        var knowledge = toolCall.Services.GetRequiredService<KnowledgeBase>();
        KnowledgeSearchResult result;
        try
        {
            result = await knowledge.SearchAsync(toolCall.AgentKey, query, limit, ct);
        }
        catch (KnowledgeQueryException ex)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, ex.Message);
        }

        var answer = new JsonObject
        {
            ["ranking"] = result.Mode == KnowledgeSearchMode.Hybrid ? "bm25+embeddings" : "bm25",
            ["note"] = result.Ranking,
            ["documents"] = result.Documents,
            ["results"] = new JsonArray([.. result.Hits.Select(h => (JsonNode)new JsonObject
            {
                ["rank"] = h.Rank,
                ["document"] = h.DocumentTitle,
                ["heading"] = h.HeadingPath,
                ["text"] = h.Text,
                ["score"] = h.Score,
            })]),
        };
        if (result.Documents == 0)
        {
            answer["message"] = "Your knowledge base is empty: nobody has uploaded documents for this agent yet.";
        }
        else if (result.Hits.Count == 0)
        {
            answer["message"] = "No passage matches; try other words.";
        }

        return answer;
    }

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct) =>
        Task.FromResult(ConnectionHealth.Healthy("Documents live in this app's database in both modes."));
}
