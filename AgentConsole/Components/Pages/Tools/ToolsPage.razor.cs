using System.Globalization;
using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace AgentConsole.Components.Pages.Tools;

/// <summary>A registered tool with the agents granted it.</summary>
public sealed record ToolGrantRow(ToolDefinition Tool, bool BuiltIn, IReadOnlyList<Agent> Agents);

/// <summary>
/// The tools this build registers, with their declared properties; each connection's mode and health; and the
/// agent × tool grant matrix, which Owners and Admins edit in place (each change saved with the agent's revision).
/// </summary>
public sealed partial class ToolsPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly Dictionary<string, ConnectionHealth> _health = new(StringComparer.Ordinal);
    private IReadOnlyList<ToolGrantRow>? _rows;
    private IReadOnlyList<Agent> _agents = [];
    private IReadOnlyList<ToolDefinition> _grantable = [];
    private Dictionary<string, ConnectionMode> _modes = new(StringComparer.Ordinal);
    private bool _canEdit;
    private bool _saving;
    private bool _conflict;
    private string? _problem;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private AgentCatalog Catalog { get; set; } = default!;
    [Inject] private ToolRegistry Registry { get; set; } = default!;
    [Inject] private ConnectionStore Connections { get; set; } = default!;
    [Inject] private IOptions<RunOptions> RunOptions { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<ToolsPage> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _canEdit = (await Authorization.AuthorizeAsync((await AuthState).User, Policies.EditAgents)).Succeeded;
        _grantable = [.. Registry.All.Where(t => !t.BuiltIn)];
        await LoadAsync();
        StateHasChanged();
        // Not while prerendering: the static page would wait for every connector before the first byte.
        if (RendererInfo.IsInteractive)
        {
            await CheckHealthAsync(_disposed.Token);
        }
    }

    private async Task LoadAsync()
    {
        _agents = await Catalog.ListAsync();
        _modes = (await Connections.ListAsync()).ToDictionary(c => c.Key, c => c.Mode, StringComparer.Ordinal);
        _rows =
        [
            .. Registry.All
                .Select(t => new ToolGrantRow(t, t.BuiltIn,
                    [.. _agents.Where(a => a.Tools.Exists(g => g.Tool == t.Key)).OrderBy(a => a.Name, StringComparer.CurrentCulture)])),
        ];
    }

    private async Task ReloadAsync()
    {
        _problem = null;
        _conflict = false;
        await LoadAsync();
    }

    /// <summary>
    /// Every connection is checked at once, each under its own time limit; a failing or hanging connector is shown as
    /// such, never allowed to break or stall the page.
    /// </summary>
    private async Task CheckHealthAsync(CancellationToken ct)
    {
        await Task.WhenAll(Registry.Connections.Select(async c =>
        {
            var health = await ConnectionChecks.CheckAsync(Connections, c.Key, c.Connector, ct);
            if (ct.IsCancellationRequested)
            {
                return;
            }

            await InvokeAsync(() =>
            {
                _health[c.Key] = health;
                StateHasChanged();
            });
        }));
    }

    private ConnectionMode? ModeOf(string connection) => _modes.TryGetValue(connection, out var mode) ? mode : null;

    private string ConnectorName(ToolDefinition tool) => Registry.ConnectorOf(tool).Name;

    internal static ToolScope? ScopeOf(Agent agent, ToolDefinition tool) =>
        agent.Tools.Find(g => g.Tool == tool.Key) is { } grant ? ToolRegistry.Normalize(tool, grant.Scope) : null;

    /// <summary>
    /// The next state of a matrix cell on click: not granted → read (when the tool reads) → write (when it writes) →
    /// not granted. Only scopes the tool supports are offered, so a click never produces a grant the catalog refuses.
    /// </summary>
    internal static ToolScope? Next(ToolDefinition tool, ToolScope? current)
    {
        List<ToolScope?> states = [null];
        if (tool.Access == ToolAccess.Read || tool.SupportsReadScope)
        {
            states.Add(ToolScope.Read);
        }

        if (tool.Access == ToolAccess.Write)
        {
            states.Add(ToolScope.Write);
        }

        var at = states.IndexOf(current);
        return states[(at + 1) % states.Count];
    }

    /// <summary>The agent's grants with one tool's grant set, changed or removed; the order of the others stays.</summary>
    internal static List<ToolGrant> WithGrant(IEnumerable<ToolGrant> grants, string tool, ToolScope? scope)
    {
        var result = grants.Select(g => new ToolGrant { Tool = g.Tool, Scope = g.Scope }).ToList();
        var index = result.FindIndex(g => g.Tool == tool);
        if (scope is null)
        {
            if (index >= 0)
            {
                result.RemoveAt(index);
            }
        }
        else if (index >= 0)
        {
            result[index].Scope = scope.Value;
        }
        else
        {
            result.Add(new ToolGrant { Tool = tool, Scope = scope.Value });
        }

        return result;
    }

    private async Task ToggleAsync(Agent agent, ToolDefinition tool)
    {
        _problem = null;
        _conflict = false;
        _saving = true;
        try
        {
            var next = Next(tool, ScopeOf(agent, tool));
            var actor = (await AuthState).User.ActorName();
            var result = await Catalog.SetToolsAsync(agent.Key, WithGrant(agent.Tools, tool.Key, next), agent.Revision, actor);
            switch (result.Outcome)
            {
                case AgentSaveOutcome.Saved:
                    await LoadAsync();
                    Snackbar.Add(next is null ? $"{agent.Name} no longer has {tool.Key}." : $"{agent.Name} may use {tool.Key} ({next.Value.ToString().ToLowerInvariant()}).", Severity.Success);
                    break;
                case AgentSaveOutcome.Invalid:
                    _problem = $"{agent.Name}'s grants were not saved: {string.Join(" ", result.Errors.SelectMany(e => e.Value))}";
                    break;
                case AgentSaveOutcome.Conflict:
                    _conflict = true;
                    _problem = result.Message;
                    break;
                default:
                    _problem = result.Message;
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ToolsPageLog.GrantFailed(Logger, ex, agent.Key, tool.Key);
            _problem = "Saving the grant failed unexpectedly; nothing changed. Try again.";
        }
        finally
        {
            _saving = false;
        }
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

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}

internal static partial class ToolsPageLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Saving grant of {Tool} to agent {Agent} failed")]
    public static partial void GrantFailed(ILogger logger, Exception exception, string agent, string tool);
}
