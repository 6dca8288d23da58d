using System.Globalization;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace AgentConsole.Components.Pages.Tools;

/// <summary>A registered tool with the agents granted it.</summary>
public sealed record ToolGrantRow(ToolDefinition Tool, bool BuiltIn, IReadOnlyList<Agent> Agents);

/// <summary>
/// The tools this build registers, with their declared properties, and which agents are granted each (read from the
/// agents themselves). The built-ins every agent has are marked as such rather than listed per agent.
/// </summary>
public sealed partial class ToolsPage
{
    private IReadOnlyList<ToolGrantRow>? _rows;

    [Inject] private AgentCatalog Catalog { get; set; } = default!;
    [Inject] private ToolRegistry Registry { get; set; } = default!;
    [Inject] private IOptions<RunOptions> RunOptions { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var agents = await Catalog.ListAsync();
        _rows =
        [
            .. Registry.All
                .Select(t => new ToolGrantRow(t, t.BuiltIn,
                    [.. agents.Where(a => a.Tools.Exists(g => g.Tool == t.Key)).OrderBy(a => a.Name, StringComparer.CurrentCulture)])),
        ];
    }

    internal static string Undo(ToolDefinition tool) => !tool.Reversible
        ? "Cannot be undone"
        : tool.CostToUndoUsd == 0 ? "Reversible, free" : string.Create(CultureInfo.InvariantCulture, $"Reversible, ${tool.CostToUndoUsd:0.##} to undo");

    /// <summary>
    /// The autonomy levels at which the engine's approval policy runs the tool without asking a person (at the
    /// configured approval threshold), so the page states the policy the engine applies rather than a second copy of it.
    /// </summary>
    internal static string AutonomousAt(ToolDefinition tool, decimal approvalThresholdUsd)
    {
        var levels = Enum.GetValues<AutonomyLevel>();
        var autonomous = levels.Where(level => ToolPolicy.ApprovalReason(tool, ToolScope.Write, level, approvalThresholdUsd) is null).ToList();
        return autonomous.Count switch
        {
            0 => "Never: a person approves each call",
            _ when autonomous.Count == levels.Length => "Every level",
            // A run of levels up to the top reads best as its start.
            _ when autonomous.SequenceEqual(levels[^autonomous.Count..]) => "From " + AgentRules.Describe(autonomous[0]).ToLowerInvariant(),
            _ => string.Join(", ", autonomous.Select(AgentRules.Describe)),
        };
    }
}
