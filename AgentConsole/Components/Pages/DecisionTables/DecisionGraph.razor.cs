using System.Globalization;
using AgentConsole.Engine.DecisionTables;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AgentConsole.Components.Pages.DecisionTables;

/// <summary>
/// Draws a model's decision requirements graph as SVG, in layers: input data at the bottom, each decision above what it
/// requires, business knowledge models in a column at the side. Decisions and knowledge models with a table are buttons
/// that open it; a plain list of the same nodes follows for screen readers and keyboard users.
/// </summary>
public sealed partial class DecisionGraph
{
    internal const int NodeWidth = 176;
    internal const int NodeHeight = 48;
    private const int ColumnGap = 28;
    private const int RowGap = 56;
    private const int Margin = 12;
    private const int MaxLabel = 24;

    private Layout _layout = Layout.Empty;

    [Parameter, EditorRequired] public DmnGraph Graph { get; set; } = default!;

    /// <summary>The node whose table is open in the editor.</summary>
    [Parameter] public string? Selected { get; set; }

    [Parameter] public EventCallback<string> OnSelect { get; set; }

    protected override void OnParametersSet() => _layout = Compute(Graph);

    private static bool Opens(DmnGraphNode node) => node.Kind == DmnNodeKind.Decision || (node.Kind == DmnNodeKind.KnowledgeModel && node.HasTable);

    private Task SelectAsync(DmnGraphNode node) => Opens(node) ? OnSelect.InvokeAsync(node.Name) : Task.CompletedTask;

    private Task OnKeyAsync(KeyboardEventArgs e, DmnGraphNode node) => e.Key is "Enter" or " " ? SelectAsync(node) : Task.CompletedTask;

    private static string KindText(DmnNodeKind kind) => kind switch
    {
        DmnNodeKind.InputData => "input data",
        DmnNodeKind.KnowledgeModel => "business knowledge model",
        _ => "decision",
    };

    private static string Label(string name) => name.Length <= MaxLabel ? name : name[..(MaxLabel - 1)] + "…";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The outline of a node: rectangles for decisions, rounded for input data, clipped corners for knowledge models.</summary>
    private static string ClippedCorners(Placed p)
    {
        const int cut = 12;
        return string.Join(' ', new[]
        {
            (p.X + cut, p.Y), (p.X + NodeWidth, p.Y), (p.X + NodeWidth, p.Y + NodeHeight - cut),
            (p.X + NodeWidth - cut, p.Y + NodeHeight), (p.X, p.Y + NodeHeight), (p.X, p.Y + cut),
        }.Select(c => $"{N(c.Item1)},{N(c.Item2)}"));
    }

    internal sealed record Placed(DmnGraphNode Node, double X, double Y);

    internal sealed record Line(DmnGraphEdge Edge, double X1, double Y1, double X2, double Y2)
    {
        /// <summary>
        /// Straight between neighbouring layers; an arrow that skips a layer bends to the right so it does not run
        /// hidden behind the nodes in between.
        /// </summary>
        public string Path => Math.Abs(Y1 - Y2) > NodeHeight + RowGap && Math.Abs(X1 - X2) < NodeWidth / 2.0
            ? $"M {N(X1)} {N(Y1)} C {N(X1 + NodeWidth * 0.75)} {N(Y1 - RowGap)}, {N(X2 + NodeWidth * 0.75)} {N(Y2 + RowGap)}, {N(X2)} {N(Y2)}"
            : $"M {N(X1)} {N(Y1)} L {N(X2)} {N(Y2)}";
    }

    internal sealed record Layout(IReadOnlyList<Placed> Nodes, IReadOnlyList<Line> Lines, double Width, double Height)
    {
        public static Layout Empty { get; } = new([], [], 0, 0);
    }

    /// <summary>Layers: input data 0, a decision one above the highest node it requires; knowledge models to the right.</summary>
    internal static Layout Compute(DmnGraph graph)
    {
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes.Where(n => n.Kind == DmnNodeKind.InputData))
        {
            level[node.Name] = 0;
        }

        var decisions = graph.Nodes.Where(n => n.Kind == DmnNodeKind.Decision).ToList();
        int LevelOf(string name, HashSet<string> path)
        {
            if (level.TryGetValue(name, out var known))
            {
                return known;
            }

            // A cycle (refused at save, but possible in a draft being fixed) is cut where it closes.
            if (!path.Add(name))
            {
                return 0;
            }

            var below = graph.Requirements(name, DmnEdgeKind.Information).Select(r => LevelOf(r, path)).DefaultIfEmpty(0).Max();
            path.Remove(name);
            return level[name] = below + 1;
        }

        foreach (var decision in decisions)
        {
            LevelOf(decision.Name, []);
        }

        var top = level.Values.DefaultIfEmpty(0).Max();
        var layers = graph.Nodes.Where(n => n.Kind != DmnNodeKind.KnowledgeModel).GroupBy(n => level[n.Name]).ToDictionary(g => g.Key, g => g.ToList());
        var widest = layers.Values.Select(l => l.Count).DefaultIfEmpty(1).Max();
        var mainWidth = widest * NodeWidth + (widest - 1) * ColumnGap;
        var placed = new Dictionary<string, Placed>(StringComparer.Ordinal);
        foreach (var (layer, nodes) in layers)
        {
            var width = nodes.Count * NodeWidth + (nodes.Count - 1) * ColumnGap;
            var left = Margin + (mainWidth - width) / 2.0;
            for (var i = 0; i < nodes.Count; i++)
            {
                placed[nodes[i].Name] = new Placed(nodes[i], left + i * (NodeWidth + ColumnGap), Margin + (top - layer) * (NodeHeight + RowGap));
            }
        }

        var knowledge = graph.Nodes.Where(n => n.Kind == DmnNodeKind.KnowledgeModel).ToList();
        var sideX = Margin + mainWidth + ColumnGap * 2;
        for (var i = 0; i < knowledge.Count; i++)
        {
            placed[knowledge[i].Name] = new Placed(knowledge[i], sideX, Margin + i * (NodeHeight + RowGap / 2));
        }

        var lines = new List<Line>();
        foreach (var edge in graph.Edges)
        {
            if (!placed.TryGetValue(edge.From, out var from) || !placed.TryGetValue(edge.To, out var to))
            {
                continue;
            }

            lines.Add(edge.Kind == DmnEdgeKind.Knowledge && from.X > to.X
                ? new Line(edge, from.X, from.Y + NodeHeight / 2.0, to.X + NodeWidth, to.Y + NodeHeight / 2.0)
                : new Line(edge, from.X + NodeWidth / 2.0, from.Y, to.X + NodeWidth / 2.0, to.Y + NodeHeight));
        }

        var right = placed.Values.Select(p => p.X + NodeWidth).DefaultIfEmpty(0).Max() + Margin;
        var bottom = placed.Values.Select(p => p.Y + NodeHeight).DefaultIfEmpty(0).Max() + Margin;
        return new Layout([.. graph.Nodes.Select(n => placed[n.Name])], lines, right, bottom);
    }
}
