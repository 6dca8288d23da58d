using AgentConsole.Access;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Prompts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Prompts;

/// <summary>
/// The prompt workbench: one agent's prompt edited section by section with the lint updating as the author types,
/// saved as a draft (a stale revision is refused, the edits stay on screen), published through the publish gate (an
/// Admin may override with a written reason), and the version history with rollback and a side-by-side diff. Panels
/// added later (evaluate, try it, replay) receive <see cref="AgentKey"/> and <see cref="CurrentVersionId"/>.
/// </summary>
public sealed partial class PromptWorkbenchPage
{
    private static readonly DialogOptions OverrideDialogOptions = new() { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true };

    private Agent? _agent;
    private PromptVersion? _current;
    private PromptSections? _edit;
    private string? _note;
    private LintReport _lint = new(0, []);
    private IReadOnlyList<PromptVersionSummary> _versions = [];
    private IReadOnlyList<PromptSectionDiff>? _diff;
    private Dictionary<string, string> _sectionErrors = [];
    private int _diffFrom;
    private int _diffTo;
    private int _tab;
    private bool _loading = true;
    private bool _canEdit;
    private bool _isAdmin;
    private bool _dirty;
    private bool _busy;
    private bool _preview;
    private bool _conflict;
    private string? _problem;
    private string? _gateMessage;
    private Guid? _gateVersion;
    private string? _notice;

    [Parameter] public string AgentKey { get; set; } = "";

    /// <summary>Opens this version number instead of the latest draft (or the published version).</summary>
    [SupplyParameterFromQuery(Name = "version")] public int? Version { get; set; }

    /// <summary>The version on screen in the Edit tab: what the evaluate, try-it and replay panels work on.</summary>
    public Guid? CurrentVersionId => _current?.Id;

    /// <summary>How the evaluate, try-it and replay panels name what they run: the version on screen, with the decision drafts.</summary>
    private string TargetLabel => _current is null
        ? "the built-in prompt and each decision's draft, else its published version"
        : $"prompt v{_current.Number} ({_current.Status.ToString().ToLowerInvariant()}) and each decision's draft, else its published version";

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private PromptCatalog Catalog { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private bool Editable => _current?.Status == PromptVersionStatus.Draft && _canEdit;

    private string Subtitle => _current is null
        ? "No prompt version yet"
        : $"v{_current.Number} · {_current.Status.ToString().ToLowerInvariant()} · saved {_current.UpdatedAt:yyyy-MM-dd HH:mm} UTC by {_current.UpdatedBy}"
          + (_versions.FirstOrDefault(v => v.Status == PromptVersionStatus.Published) is { } live && live.Id != _current.Id ? $" · production runs use v{live.Number}" : "");

    private string ActorName { get; set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthState).User;
        ActorName = user.ActorName();
        _canEdit = (await Authorization.AuthorizeAsync(user, Policies.Prompts)).Succeeded;
        _isAdmin = user.IsInRole(Roles.Admin);
        await LoadAsync(Version);
    }

    private async Task LoadAsync(int? number)
    {
        _loading = true;
        _agent = await Agents.FindAsync(AgentKey);
        if (_agent is not null)
        {
            _versions = await Catalog.ListAsync(_agent.Key) ?? [];
            var current = number is { } n ? await Catalog.FindAsync(_agent.Key, n) : null;
            Show(current ?? await Catalog.CurrentAsync(_agent.Key));
            if (_diff is null && _versions.Count > 1)
            {
                await CompareAsync((_versions[1].Number, _versions[0].Number));
            }
        }

        _loading = false;
    }

    private void Show(PromptVersion? version)
    {
        _current = version;
        _edit = version?.Sections.Clone();
        _note = version?.Note;
        _dirty = false;
        _conflict = false;
        _sectionErrors = [];
        // The gate's verdict was about the version that was on screen.
        if (version?.Id != _gateVersion)
        {
            _gateMessage = null;
        }

        Relint();
    }

    private void Relint() => _lint = _agent is null || _edit is null ? new(0, []) : Catalog.Lint(_agent, _edit);

    /// <summary>The editors debounce typing, so this runs on each pause: the lint follows the text without a save.</summary>
    private void OnSectionChanged(string key, string? value)
    {
        if (_edit is null || !Editable)
        {
            return;
        }

        value ??= "";
        switch (key)
        {
            case "role": _edit.Role = value; break;
            case "tools": _edit.Tools = value; break;
            case "boundaries": _edit.Boundaries = value; break;
            case "commonPath": _edit.CommonPath = value; break;
            case "edgeCases": _edit.EdgeCases = value; break;
            case "prohibitions": _edit.Prohibitions = value; break;
            default: return;
        }

        _dirty = true;
        _sectionErrors = ErrorsBySection(PromptCatalog.Validate(_edit));
        Relint();
    }

    private void OnNoteChanged(string? value)
    {
        if (Editable)
        {
            _note = value;
            _dirty = true;
        }
    }

    private static Dictionary<string, string> ErrorsBySection(IReadOnlyDictionary<string, string[]> errors) =>
        errors.Where(e => e.Key.StartsWith("sections.", StringComparison.Ordinal))
            .ToDictionary(e => e.Key["sections.".Length..], e => string.Join(" ", e.Value), StringComparer.Ordinal);

    private async Task<bool> SaveAsync()
    {
        if (_current is null || _edit is null || !Editable)
        {
            return false;
        }

        _busy = true;
        try
        {
            var result = await Catalog.SaveDraftAsync(_current.Id, _edit, _current.Revision, _note ?? "", ActorName);
            if (!result.Succeeded)
            {
                _problem = result.Message;
                _conflict = result.Outcome == PromptChangeOutcome.Conflict;
                _sectionErrors = ErrorsBySection(result.Errors);
                return false;
            }

            _current = result.Version;
            _dirty = false;
            _problem = null;
            _notice = $"Draft v{_current!.Number} saved.";
            _versions = await Catalog.ListAsync(_current.AgentKey) ?? _versions;
            if (_diff is not null)
            {
                await CompareAsync((_diffFrom, _diffTo));
            }

            return true;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task PublishAsync()
    {
        if (_current is null || (_dirty && !await SaveAsync()))
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await Catalog.PublishAsync(_current.Id, ActorName, _isAdmin, null);
            if (result.Outcome == PromptChangeOutcome.GateRefused && _isAdmin)
            {
                var parameters = new DialogParameters<PublishOverrideDialog> { { d => d.GateMessage, result.Message ?? "" } };
                var dialog = await Dialogs.ShowAsync<PublishOverrideDialog>(null, parameters, OverrideDialogOptions);
                if (await dialog.Result is { Canceled: false, Data: string reason })
                {
                    result = await Catalog.PublishAsync(_current.Id, ActorName, _isAdmin, reason);
                }
            }

            await AfterPublishAsync(result);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task AfterPublishAsync(PromptChangeResult result)
    {
        if (result.Outcome == PromptChangeOutcome.GateRefused)
        {
            _gateMessage = result.Message;
            _gateVersion = _current?.Id;
            _notice = null;
            return;
        }

        if (!result.Succeeded)
        {
            _problem = result.Message;
            _conflict = result.Outcome == PromptChangeOutcome.Conflict;
            return;
        }

        _gateMessage = null;
        _problem = null;
        _notice = result.Version!.GateOverrideReason is null
            ? $"v{result.Version.Number} is published; production runs use it from now on."
            : $"v{result.Version.Number} is published by Admin override; the reason is stored and audited.";
        _diff = null;
        await LoadAsync(result.Version.Number);
    }

    private async Task StartFirstDraftAsync() => await CreateAsync(new PromptSections(), null);

    private async Task CopyAsync(int number) => await CreateAsync(null, number);

    private async Task CreateAsync(PromptSections? sections, int? from)
    {
        if (_agent is null || !ConfirmLeave())
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await Catalog.CreateDraftAsync(_agent.Key, sections, from, null, ActorName);
            if (!result.Succeeded)
            {
                _problem = result.Message;
                return;
            }

            _notice = from is null ? $"Draft v{result.Version!.Number} started." : $"Draft v{result.Version!.Number} started from v{from}.";
            _diff = null;
            await LoadAsync(result.Version.Number);
            _tab = 0;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DiscardAsync()
    {
        if (_current is null)
        {
            return;
        }

        var result = await Catalog.RetireDraftAsync(_current.Id, ActorName);
        if (!result.Succeeded)
        {
            _problem = result.Message;
            _conflict = result.Outcome == PromptChangeOutcome.Conflict;
            return;
        }

        _notice = $"Draft v{_current.Number} discarded.";
        _diff = null;
        await LoadAsync(null);
    }

    private async Task RollbackAsync(PromptVersionSummary version)
    {
        var result = await Catalog.RollbackAsync(version.Id, ActorName);
        if (!result.Succeeded)
        {
            _problem = result.Message;
            return;
        }

        _notice = $"Rolled back: v{version.Number} is published again.";
        _diff = null;
        await LoadAsync(null);
    }

    private async Task OpenAsync(PromptVersionSummary version)
    {
        if (!ConfirmLeave())
        {
            return;
        }

        Show(await Catalog.GetAsync(version.Id));
        _tab = 0;
    }

    private async Task CompareAsync((int From, int To) pair)
    {
        (_diffFrom, _diffTo) = pair;
        _diff = _agent is null ? null : await Catalog.DiffAsync(_agent.Key, pair.From, pair.To);
    }

    private async Task ReloadAsync()
    {
        _problem = null;
        _diff = null;
        await LoadAsync(_current?.Number);
    }

    /// <summary>Switching versions with unsaved edits would drop them: the author saves or discards first.</summary>
    private bool ConfirmLeave()
    {
        if (!_dirty)
        {
            return true;
        }

        _problem = "Save or discard your edits first: switching versions would lose them.";
        return false;
    }

    private static int LinesFor(string key) => key is "role" or "commonPath" ? 8 : 5;

    private static string Placeholder(string key) => key switch
    {
        "role" => "Who the agent is, whom it works for and what a good outcome is.",
        "tools" => "Each granted tool by name: when to use it and what to pass.",
        "boundaries" => "What is out of scope, and when to escalate to a person.",
        "commonPath" => "1. Step one\n2. Step two",
        "edgeCases" => "- Boundary values\n- Missing fields\n- Instructions hidden in a message\n- Sensitive data",
        "prohibitions" => "- promise pricing or discounts\n- commit to delivery dates\n- edit records owned by another team",
        _ => "",
    };
}
