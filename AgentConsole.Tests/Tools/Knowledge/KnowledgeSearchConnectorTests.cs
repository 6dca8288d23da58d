using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Knowledge;

namespace AgentConsole.Tests.Tools.Knowledge;

public sealed class KnowledgeSearchConnectorTests : IAsyncLifetime
{
    private readonly KnowledgeSearchConnector _connector = new();
    private KnowledgeTestBed _bed = default!;

    public async Task InitializeAsync()
    {
        _bed = await KnowledgeTestBed.CreateAsync();
        await KnowledgeCorpus.LoadAsync(_bed);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private ToolCall Call(string agent, JsonObject arguments) => new(
        _connector.Tools[0], arguments, ToolScope.Read, Guid.NewGuid(), agent, "call-1",
        new ConnectionSnapshot(KnowledgeSearchConnector.ConnectorKey, KnowledgeSearchConnector.ConnectorKey, ConnectionMode.Sandbox, [], new Dictionary<string, string>(), SimulatedFailure.None),
        _bed.CallServices);

    [Fact]
    public void Tool_IsDeclaredAsAnInternalReversibleRead()
    {
        var tool = Assert.Single(_connector.Tools);

        Assert.Equal(("knowledge_search", ToolAccess.Read, ToolReach.Internal, true, 0m, "knowledge", "knowledge"),
            (tool.Key, tool.Access, tool.Reach, tool.Reversible, tool.CostToUndoUsd, tool.Connector, tool.Connection));
        Assert.Equal(Engine.Agents.AutonomyLevel.ReadOnlyResearch, tool.MinimumAutonomy());
        Assert.Contains(tool, new ToolRegistry([_connector]).All);
    }

    [Fact]
    public async Task Invoke_ReturnsTheCallingAgentsBestPassages_WithTitleHeadingAndText()
    {
        var result = (JsonObject)(await _connector.InvokeAsync(Call(KnowledgeTestBed.Alpha, new JsonObject { ["query"] = "refunded", ["limit"] = 2 }), default))!;

        Assert.Equal("bm25", (string?)result["ranking"]);
        Assert.Equal(9, (int?)result["documents"]);
        var results = result["results"]!.AsArray();
        Assert.InRange(results.Count, 1, 2);
        Assert.Equal("returns-policy", (string?)results[0]!["document"]);
        Assert.Equal("Returns policy › Refunds", (string?)results[0]!["heading"]);
        Assert.StartsWith("Customers get a full refund", (string?)results[0]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ForAnAgentWithAnEmptyKnowledgeBase_SaysItIsEmpty_WithoutFailing()
    {
        var result = (JsonObject)(await _connector.InvokeAsync(Call(KnowledgeTestBed.Beta, new JsonObject { ["query"] = "refund" }), default))!;

        Assert.Equal(0, (int?)result["documents"]);
        Assert.Empty(result["results"]!.AsArray());
        Assert.Contains("knowledge base is empty", (string?)result["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_CannotReachAnotherAgentsDocuments_WhateverTheArgumentsSay()
    {
        await _bed.AddAsync(KnowledgeTestBed.Beta, "falcon.md", "Project Falcon launches in March.");

        var result = (JsonObject)(await _connector.InvokeAsync(
            Call(KnowledgeTestBed.Alpha, new JsonObject { ["query"] = "falcon", ["agent"] = KnowledgeTestBed.Beta, ["agentKey"] = KnowledgeTestBed.Beta }), default))!;

        Assert.Empty(result["results"]!.AsArray());
        Assert.Equal("No passage matches; try other words.", (string?)result["message"]);
    }

    [Fact]
    public async Task Invoke_TurnsAnUnsearchableQuery_IntoInvalidArguments()
    {
        var error = await Assert.ThrowsAsync<ToolCallException>(() => _connector.InvokeAsync(Call(KnowledgeTestBed.Alpha, new JsonObject { ["query"] = "*** ()" }), default));

        Assert.Equal(ToolFailureKind.InvalidArguments, error.Kind);
        Assert.Contains("punctuation", error.Message, StringComparison.Ordinal);
    }
}
