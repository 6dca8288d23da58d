using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Layout;

/// <summary>
/// The number of open escalations beside "Escalations" in the navigation, kept live: a new escalation arrives as an
/// in-app notification, a resolved one as a run update. Runs update often, so refreshes are coalesced: at most one count
/// query per circuit at a time, and one more if something changed meanwhile.
/// </summary>
public sealed partial class OpenEscalationsBadge : IDisposable
{
    private int _count;
    private int _refreshing;
    private int _dirty;
    private bool _disposed;

    [Inject] private OpenEscalations Open { get; set; } = default!;
    [Inject] private InAppNotifications InApp { get; set; } = default!;
    [Inject] private RunNotifications Runs { get; set; } = default!;
    [Inject] private ILogger<OpenEscalationsBadge> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        InApp.Published += OnNotification;
        Runs.Updated += OnRunUpdated;
        _count = await Open.CountAsync();
    }

    private void OnNotification(InAppNotification notification) => Changed();

    private void OnRunUpdated(RunUpdated update) => Changed();

    private void Changed()
    {
        Interlocked.Exchange(ref _dirty, 1);
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = RefreshAsync();
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            while (!_disposed && Interlocked.Exchange(ref _dirty, 0) == 1)
            {
                var count = await Open.CountAsync();
                if (count != _count && !_disposed)
                {
                    _count = count;
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The badge is a hint: a failed count (the circuit closing, a busy database) must never break the page.
            LogRefreshFailed(Logger, ex);
        }
        finally
        {
            Interlocked.Exchange(ref _refreshing, 0);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        InApp.Published -= OnNotification;
        Runs.Updated -= OnRunUpdated;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The open-escalations badge could not refresh")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
