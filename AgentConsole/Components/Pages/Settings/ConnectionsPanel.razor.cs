using AgentConsole.Access;
using AgentConsole.Components.Pages.Tools;
using AgentConsole.Engine.Tools;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Settings;

/// <summary>
/// Settings → Connections (Admins; the Settings page requires the Admin policy): each connection's mode, non-secret
/// settings, write-only secrets and simulated failure, saved through <see cref="ConnectionStore"/>, which audits it.
/// </summary>
public sealed partial class ConnectionsPanel
{
    private List<ConnectionEdit>? _connections;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private ConnectionStore Store { get; set; } = default!;
    [Inject] private ToolRegistry Registry { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<ConnectionsPanel> Logger { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() => _connections = [.. (await Store.ListAsync()).Select(v => new ConnectionEdit(v))];

    private static string? Err(ConnectionEdit c, string key) => c.Errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private async Task SaveAsync(ConnectionEdit c)
    {
        c.Problem = null;
        c.Conflict = false;
        if (c.ToUpdate() is not { } update)
        {
            c.Problem = string.Join(" ", c.Errors.SelectMany(e => e.Value));
            return;
        }

        c.Saving = true;
        try
        {
            var actor = (await AuthState).User.ActorName();
            var result = await Store.UpdateAsync(c.View.Key, update, actor);
            switch (result.Outcome)
            {
                case ConnectionSaveOutcome.Saved:
                    c.Saved(result.Connection!);
                    Snackbar.Add($"Saved connection {c.View.Key} ({c.View.Mode.ToString().ToLowerInvariant()}).", Severity.Success);
                    break;
                case ConnectionSaveOutcome.Invalid:
                    c.Errors = result.Errors;
                    c.Problem = string.Join(" ", result.Errors.SelectMany(e => e.Value));
                    break;
                case ConnectionSaveOutcome.Conflict:
                    c.Conflict = true;
                    c.Problem = result.Message;
                    break;
                default:
                    c.Problem = result.Message;
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ConnectionsPanelLog.SaveFailed(Logger, ex, c.View.Key);
            c.Problem = "Saving failed unexpectedly; nothing changed. Try again.";
        }
        finally
        {
            c.Saving = false;
        }
    }

    /// <summary>Checks the saved connection (not unsaved edits), as a call would see it.</summary>
    private async Task CheckAsync(ConnectionEdit c)
    {
        var connector = Registry.Connections.FirstOrDefault(x => x.Key == c.View.Key).Connector;
        if (connector is null)
        {
            c.Health = ConnectionHealth.Unhealthy("No registered tool uses this connection any more.");
            return;
        }

        c.Checking = true;
        try
        {
            c.Health = await ConnectionChecks.CheckAsync(Store, c.View.Key, connector, CancellationToken.None);
        }
        finally
        {
            c.Checking = false;
        }
    }
}

internal static partial class ConnectionsPanelLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Saving connection {Key} failed")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string key);
}
