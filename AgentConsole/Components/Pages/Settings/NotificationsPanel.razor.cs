using System.Globalization;
using AgentConsole.Access;
using AgentConsole.Engine.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Settings;

/// <summary>
/// Settings → Notifications (Admins): the channels escalations notify through, a form per kind with field messages and
/// write-only secrets, "Send test" with its answer, and the recent deliveries with "Retry now".
/// </summary>
public sealed partial class NotificationsPanel
{
    private const int PageSize = 10;
    private static readonly Dictionary<string, string[]> NoErrors = [];

    private IReadOnlyList<NotificationChannelView>? _channels;
    private NotificationDeliveryPage? _recent;
    private int _page;
    private NotificationChannelEdit? _edit;
    private string? _editingKey;
    private bool _passwordSet;
    private bool _urlSet;
    private bool _saving;
    private IReadOnlyDictionary<string, string[]> _errors = NoErrors;
    private string? _formProblem;
    private string? _confirmDelete;
    private readonly Dictionary<string, NotificationDeliveryView> _tests = new(StringComparer.Ordinal);
    private readonly HashSet<string> _testing = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _retrying = [];

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private NotificationChannels Channels { get; set; } = default!;
    [Inject] private NotificationDeliveries Deliveries { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _channels = await Channels.ListAsync();
        _recent = await Deliveries.RecentAsync(_page, PageSize);
    }

    private async Task<string> ActorAsync() => (await AuthState).User.ActorName();

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? Err(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string KindText(NotificationChannelKind kind) => kind switch
    {
        NotificationChannelKind.Email => "E-mail",
        NotificationChannelKind.Webhook => "Webhook",
        _ => "In-app",
    };

    private void Add() => Open(null, new NotificationChannelEdit());

    private void Edit(NotificationChannelView channel) => Open(channel, NotificationChannelEdit.Of(channel));

    private void Open(NotificationChannelView? channel, NotificationChannelEdit edit)
    {
        _edit = edit;
        _editingKey = channel?.Key;
        _passwordSet = channel?.PasswordSet ?? false;
        _urlSet = channel?.WebhookUrlSet ?? false;
        _errors = NoErrors;
        _formProblem = null;
    }

    private void Cancel()
    {
        _edit = null;
        _editingKey = null;
        _errors = NoErrors;
        _formProblem = null;
    }

    private async Task SaveAsync()
    {
        if (_edit is not { } edit)
        {
            return;
        }

        _saving = true;
        try
        {
            var actor = await ActorAsync();
            var result = _editingKey is null ? await Channels.CreateAsync(edit, actor) : await Channels.UpdateAsync(_editingKey, edit, actor);
            switch (result.Outcome)
            {
                case NotificationChannelSaveOutcome.Saved:
                    Snackbar.Add($"Saved channel {result.Channel!.Key}.", Severity.Success);
                    Cancel();
                    await LoadAsync();
                    break;
                case NotificationChannelSaveOutcome.Invalid:
                    _errors = result.Errors;
                    _formProblem = "Correct the marked fields.";
                    break;
                default:
                    _errors = NoErrors;
                    _formProblem = result.Message;
                    break;
            }
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task SetEnabledAsync(NotificationChannelView channel, bool enabled)
    {
        var edit = NotificationChannelEdit.Of(channel);
        edit.Enabled = enabled;
        var result = await Channels.UpdateAsync(channel.Key, edit, await ActorAsync());
        if (result.Outcome == NotificationChannelSaveOutcome.Saved)
        {
            Snackbar.Add($"{channel.Name} {(enabled ? "enabled" : "disabled")}.", Severity.Success);
        }
        else
        {
            Snackbar.Add(result.Message ?? "The channel could not be changed.", Severity.Error);
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(NotificationChannelView channel)
    {
        _confirmDelete = null;
        var result = await Channels.DeleteAsync(channel.Key, await ActorAsync());
        Snackbar.Add(result.Outcome == NotificationChannelSaveOutcome.Saved ? $"Deleted channel {channel.Key}." : result.Message ?? "Not deleted.",
            result.Outcome == NotificationChannelSaveOutcome.Saved ? Severity.Success : Severity.Error);
        _tests.Remove(channel.Key);
        await LoadAsync();
    }

    private async Task SendTestAsync(NotificationChannelView channel)
    {
        _testing.Add(channel.Key);
        try
        {
            var result = await Channels.SendTestAsync(channel.Key, await ActorAsync());
            if (result is null)
            {
                _tests.Remove(channel.Key);
                Snackbar.Add($"Channel {channel.Key} no longer exists.", Severity.Warning);
            }
            else
            {
                _tests[channel.Key] = result;
            }

            await LoadAsync();
        }
        finally
        {
            _testing.Remove(channel.Key);
        }
    }

    private async Task RetryAsync(NotificationDeliveryView delivery)
    {
        _retrying.Add(delivery.Id);
        try
        {
            var result = await Deliveries.RetryNowAsync(delivery.Id, await ActorAsync());
            Snackbar.Add(result is null ? "That notification was already sent." : result.Status == NotificationDeliveryStatus.Sent
                ? $"Sent through {result.ChannelName}." : $"Still failing: {result.LastError}",
                result is { Status: NotificationDeliveryStatus.Sent } or null ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _retrying.Remove(delivery.Id);
        }
    }

    private async Task PageAsync(int selected)
    {
        _page = Math.Max(0, selected - 1);
        _recent = await Deliveries.RecentAsync(_page, PageSize);
    }
}
