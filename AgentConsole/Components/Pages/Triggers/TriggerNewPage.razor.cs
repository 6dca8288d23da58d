using AgentConsole.Engine;
using System.Text.Json.Nodes;
using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Triggers;
using AgentConsole.Triggers;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>
/// Creates a trigger: agent, kind, name and the kind's settings (rendered from its setting fields). A generated
/// signing secret is shown once in a dialog before the trigger's page opens.
/// </summary>
public sealed partial class TriggerNewPage
{
    private IReadOnlyList<Agent> _agents = [];
    private string? _agent;
    private TriggerKind? _kind;
    private ITriggerKindHandler? _handler;
    private string _name = "";
    private JsonObject _settings = [];
    private Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string[]>? _errors;
    private string? _message;
    private bool _busy;

    [SupplyParameterFromQuery(Name = "agent")] private string? AgentParam { get; set; }
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    [Inject] private TriggerCatalog Catalog { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private string KeyHint => _agent is null || string.IsNullOrWhiteSpace(_name)
        ? "The key in its URL is made from agent and name."
        : $"Key: {Slug.From($"{_agent} {_name}")}";

    protected override async Task OnInitializedAsync()
    {
        _agents = await Agents.ListAsync();
        _agent = _agents.FirstOrDefault(a => string.Equals(a.Key, AgentParam, StringComparison.OrdinalIgnoreCase))?.Key;
    }

    private string? Error(string key) => _errors is not null && _errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private void AgentChanged(string? agent) => _agent = agent;

    private void KindChanged(TriggerKind? kind)
    {
        _kind = kind;
        _handler = kind is { } k ? Catalog.Handler(k) : null;
        _settings = _handler is null ? [] : TriggerSettingsForm.Defaults(_handler);
        _secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        _errors = null;
    }

    private async Task CreateAsync()
    {
        if (_agent is null || _kind is not { } kind)
        {
            return;
        }

        _busy = true;
        try
        {
            var user = (await AuthState).User;
            var draft = new TriggerDraft(_name, kind, Settings: _settings, Secrets: _secrets.Count == 0 ? null : _secrets);
            var result = await Catalog.CreateAsync(_agent, draft, user.ActorName());
            if (result.Outcome != TriggerCommandOutcome.Done)
            {
                _errors = result.Errors;
                _message = result.Outcome == TriggerCommandOutcome.Invalid ? "The trigger is not valid yet; see the marked fields." : result.Message;
                return;
            }

            var trigger = result.Trigger!;
            if (result.Secret is { } secret)
            {
                await ShowSecretAsync(Dialogs, trigger, secret, TriggerLinks.PublicUrl(trigger, Catalog, Navigation.BaseUri), null);
            }

            Navigation.NavigateTo($"/triggers/{trigger.Key}");
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The one time a signing secret is shown: with a copy button and a curl example.</summary>
    internal static async Task ShowSecretAsync(IDialogService dialogs, Trigger trigger, string secret, string? url, DateTimeOffset? previousValidUntil)
    {
        var bearer = JsonNode.Parse(trigger.SettingsJson)?["auth"]?.GetValue<string>() == "bearer";
        var parameters = new DialogParameters<TriggerSecretDialog>
        {
            { d => d.TriggerName, trigger.Name },
            { d => d.Secret, secret },
            { d => d.Url, url },
            { d => d.Bearer, bearer },
            { d => d.PreviousValidUntil, previousValidUntil },
        };
        var dialog = await dialogs.ShowAsync<TriggerSecretDialog>("Signing secret", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false });
        await dialog.Result;
    }
}
