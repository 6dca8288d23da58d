using AgentConsole.Engine.Alerts;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Layout;

/// <summary>The number of firing alerts beside "Alerts" in the navigation, refreshed when an alert fires, resolves or is acknowledged.</summary>
public sealed partial class FiringAlertsBadge : IDisposable
{
    private int _count;
    private bool _disposed;

    [Inject] private AlertBoard Board { get; set; } = default!;
    [Inject] private AlertFeed Feed { get; set; } = default!;
    [Inject] private ILogger<FiringAlertsBadge> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Feed.Changed += OnChanged;
        _count = await Board.CountFiringAsync();
    }

    // Alerts change at most once a minute per rule, so a count per change needs no coalescing.
    private void OnChanged(AlertChanged change) => _ = RefreshAsync();

    private async Task RefreshAsync()
    {
        try
        {
            var count = await Board.CountFiringAsync();
            if (count != _count && !_disposed)
            {
                _count = count;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The badge is a hint: a failed count (the circuit closing, a busy database) must never break the page.
            LogRefreshFailed(Logger, ex);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Feed.Changed -= OnChanged;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The firing-alerts badge could not refresh")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
