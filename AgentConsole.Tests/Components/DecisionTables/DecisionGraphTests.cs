using System.Globalization;
using AgentConsole.Components.Pages.DecisionTables;
using AgentConsole.Engine.DecisionTables;
using Bunit;

namespace AgentConsole.Tests.Components.DecisionTables;

/// <summary>The requirements graph: shapes per kind of node, arrows per requirement, layers, and nodes that open their table.</summary>
public sealed class DecisionGraphTests : MudTestContext
{
    private static readonly DmnGraph LeadGraph = new(
        [
            new DmnGraphNode("Lead", DmnNodeKind.InputData, false, "tLead", false),
            new DmnGraphNode("Lead score", DmnNodeKind.Decision, true, null, false),
            new DmnGraphNode("Lead routing", DmnNodeKind.Decision, true, null, true),
            new DmnGraphNode("Discount", DmnNodeKind.KnowledgeModel, true, null, false),
        ],
        [
            new DmnGraphEdge("Lead", "Lead score", DmnEdgeKind.Information),
            new DmnGraphEdge("Lead score", "Lead routing", DmnEdgeKind.Information),
            new DmnGraphEdge("Lead", "Lead routing", DmnEdgeKind.Information),
            new DmnGraphEdge("Discount", "Lead routing", DmnEdgeKind.Knowledge),
        ],
        "Lead routing");

    private IRenderedComponent<DecisionGraph> RenderGraph(List<string> opened, string? selected = null) =>
        Render<DecisionGraph>(p => p.Add(c => c.Graph, LeadGraph).Add(c => c.Selected, selected).Add(c => c.OnSelect, (string name) => opened.Add(name)));

    private static double Y(AngleSharp.Dom.IElement node) => double.Parse(node.QuerySelector("rect")!.GetAttribute("y")!, CultureInfo.InvariantCulture);

    [Fact]
    public void Graph_DrawsEachNodeInItsShape_AndEachRequirementAsAnArrow()
    {
        var view = RenderGraph([]);

        var nodes = view.FindAll("[data-testid=graph-node]");
        Assert.Equal(["Lead", "Lead score", "Lead routing", "Discount"], nodes.Select(n => n.GetAttribute("data-node")));
        Assert.Equal("24", view.Find("[data-node='Lead'] rect").GetAttribute("rx"));
        Assert.Null(view.Find("[data-node='Lead score'] rect").GetAttribute("rx"));
        Assert.NotNull(view.Find("[data-node='Discount'] polygon"));
        var edges = view.FindAll("[data-testid=graph-edge]");
        Assert.Equal(4, edges.Count);
        Assert.All(edges, e => Assert.Equal("url(#dmn-arrow)", e.GetAttribute("marker-end")));
        Assert.Equal("6 4", view.Find("[data-edge='Discount→Lead routing']").GetAttribute("stroke-dasharray"));
        Assert.Null(view.Find("[data-edge='Lead score→Lead routing']").GetAttribute("stroke-dasharray"));
    }

    [Fact]
    public void Graph_PutsInputDataAtTheBottom_AndEachDecisionAboveWhatItRequires()
    {
        var view = RenderGraph([]);

        var lead = Y(view.Find("[data-node='Lead']"));
        var score = Y(view.Find("[data-node='Lead score']"));
        var routing = Y(view.Find("[data-node='Lead routing']"));

        Assert.True(lead > score, $"input data at {lead}, score at {score}");
        Assert.True(score > routing, $"score at {score}, routing at {routing}");
    }

    [Fact]
    public void Graph_OpensADecisionOnClickOrEnter_ButNotInputData()
    {
        var opened = new List<string>();
        var view = RenderGraph(opened, selected: "Lead routing");

        view.Find("[data-node='Lead score']").Click();
        view.Find("[data-node='Discount']").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        view.Find("[data-node='Lead']").Click();

        Assert.Equal(["Lead score", "Discount"], opened);
        Assert.Equal("button", view.Find("[data-node='Lead score']").GetAttribute("role"));
        Assert.Equal("img", view.Find("[data-node='Lead']").GetAttribute("role"));
        Assert.Equal("true", view.Find("[data-node='Lead routing']").GetAttribute("aria-pressed"));
        Assert.Contains("main decision", view.Find("[data-node='Lead routing']").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_ListsTheSameNodesAsText_WithWhatEachRequires()
    {
        var opened = new List<string>();
        var view = RenderGraph(opened);

        var items = view.FindAll("[data-testid=graph-list] li");
        Assert.Equal(4, items.Count);
        Assert.Contains("requires Lead score, Lead, Discount", items[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("type tLead", items[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(3, view.FindAll("[data-testid=graph-list-open]").Count);
        view.FindAll("[data-testid=graph-list-open]")[0].Click();
        Assert.Equal(["Lead score"], opened);
    }
}
