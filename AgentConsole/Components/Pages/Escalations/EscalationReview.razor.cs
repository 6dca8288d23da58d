using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Components.Layout;
using AgentConsole.Components.Pages.Runs;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentConsole.Components.Pages.Escalations;

/// <summary>
/// One case in the review queue: its context and the reviewer's decisions. Every decision carries the version the
/// reviewer saw, so a case that changed meanwhile (claimed, decided, expired) is refused with the engine's message,
/// shown here; typed text stays in its field whatever the outcome.
/// </summary>
public sealed partial class EscalationReview
{
    private ReviewMode _mode;
    private Guid _shownId;
    private string? _reason;
    private string? _arguments;
    private string? _guidance;
    private string? _outcome;
    private string? _choice;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private string? _problem;
    private bool _busy;
    private MudTextField<string>? _reasonField;
    private MudTextField<string>? _argumentsField;
    private MudTextField<string>? _guidanceField;
    private MudTextField<string>? _outcomeField;
    private bool _focusPending;

    [Parameter, EditorRequired] public EscalationDetail Detail { get; set; } = default!;
    [Parameter, EditorRequired] public string Actor { get; set; } = "";
    [Parameter] public IReadOnlyList<string> Roles { get; set; } = [];

    /// <summary>A decision went through; the argument is what happened, for the snackbar.</summary>
    [Parameter] public EventCallback<string> OnResolved { get; set; }

    /// <summary>The case changed (claimed, released, or refused as stale): the page reloads it.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    [Inject] private EscalationResolver Resolver { get; set; } = default!;
    [Inject] private ReviewDesk Desk { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;
    [Inject] private ILogger<EscalationReview> Logger { get; set; } = default!;

    private static readonly DialogOptions DialogOptions = new() { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true };

    private Escalation Escalation => Detail.Escalation;

    private ProposedCall? Proposed => ProposedCall.Parse(Escalation.ProposedAction);

    private bool HeldByOther => Escalation.IsClaimedByOther(Actor, Time.Now);

    private bool HeldByMe => Escalation.ClaimedBy is not null && Escalation.ClaimExpiresAt > Time.Now && !HeldByOther;

    private bool MayReview => Detail.Policy.MayReview(Roles, Actor);

    /// <summary>Whoever started the run does not approve its held action (the engine refuses it too).</summary>
    private bool FourEyesBlocked => Detail.Policy.FourEyes && Escalation.Kind == EscalationKind.Approval
        && string.Equals(Detail.StartedBy, Actor, StringComparison.OrdinalIgnoreCase);

    private bool Locked => _busy || HeldByOther || !Escalation.IsOpen;

    private string ApproveText => Escalation.Kind switch
    {
        EscalationKind.Limit => "Grant another allowance",
        _ when Detail.Choices is not null => _choice is null ? "Approve as…" : $"Approve as {_choice}",
        _ => "Approve",
    };

    private string? Error(string field) => _errors.TryGetValue(field, out var messages) && messages.Length > 0 ? string.Join(" ", messages) : null;

    protected override void OnParametersSet()
    {
        if (_shownId == Escalation.Id)
        {
            return;
        }

        // Another case: nothing typed for the previous one applies to it.
        _shownId = Escalation.Id;
        _mode = ReviewMode.None;
        _reason = _guidance = _outcome = _choice = null;
        _arguments = Proposed?.ArgumentsJson ?? "{}";
        _errors = new Dictionary<string, string[]>();
        _problem = null;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_focusPending)
        {
            return;
        }

        _focusPending = false;
        var field = _mode switch
        {
            ReviewMode.Reject => _reasonField,
            ReviewMode.Edit => _argumentsField,
            ReviewMode.Return => _guidanceField,
            ReviewMode.TakeOver => _outcomeField,
            _ => null,
        };
        if (field is not null)
        {
            await field.FocusAsync();
        }
    }

    /// <summary>A key from the page's shortcut module (claim, approve, or open a form).</summary>
    public async Task ShortcutAsync(string key)
    {
        if (!Escalation.IsOpen || !MayReview)
        {
            return;
        }

        switch (key)
        {
            case "c":
                await ToggleClaimAsync();
                break;
            case "a" when !Locked && !FourEyesBlocked:
                await ApproveAsync();
                break;
            case "r" when !Locked:
                await OpenAsync(ReviewMode.Reject);
                break;
            case "e" when !Locked && !FourEyesBlocked && Escalation.Kind == EscalationKind.Approval:
                await OpenAsync(ReviewMode.Edit);
                break;
            case "g" when !Locked:
                await OpenAsync(ReviewMode.Return);
                break;
            case "t" when !Locked:
                await OpenAsync(ReviewMode.TakeOver);
                break;
        }

        StateHasChanged();
    }

    /// <summary>Enter in a single-line field: its value comes along, since the server may not have seen the last keystroke.</summary>
    public async Task SubmitFieldAsync(string field, string value)
    {
        if (field == "reject" && _mode == ReviewMode.Reject)
        {
            _reason = value;
            await SubmitAsync(ReviewMode.Reject);
            StateHasChanged();
        }
    }

    public Task CloseFormAsync()
    {
        _mode = ReviewMode.None;
        _errors = new Dictionary<string, string[]>();
        StateHasChanged();
        return Task.CompletedTask;
    }

    private Task OpenAsync(ReviewMode mode)
    {
        if (_mode != mode)
        {
            _errors = new Dictionary<string, string[]>();
        }

        _mode = mode;
        _focusPending = true;
        return Task.CompletedTask;
    }

    private void ChoiceChanged(string? value)
    {
        _choice = value;
        _errors = _errors.Where(e => e.Key != "value").ToDictionary();
    }

    private async Task ToggleClaimAsync()
    {
        if (_busy || !Escalation.IsOpen)
        {
            return;
        }

        // A claim is about who holds the case, not which version was seen: a held case answers with its holder.
        await RunAsync(HeldByMe ? () => Desk.ReleaseAsync(Escalation.Id, Actor) : () => Desk.ClaimAsync(Escalation.Id, Actor), resolves: false);
    }

    private async Task ApproveAsync()
    {
        if (Locked || FourEyesBlocked)
        {
            return;
        }

        var choices = Detail.Choices?.Values;
        var proposed = Proposed;
        var value = _choice;
        if (choices is not null && value is null || QueueDisplay.NeedsConfirmation(proposed))
        {
            var confirmed = await ConfirmAsync(choices is null ? null : value ?? choices[0], proposed, choices);
            if (confirmed is null)
            {
                return;
            }

            value = choices is null ? null : confirmed;
        }

        if (choices is not null && string.IsNullOrWhiteSpace(value))
        {
            _errors = new Dictionary<string, string[]> { ["value"] = ["Choose the value to approve as."] };
            return;
        }

        _choice = value;
        await DecideAsync(new EscalationDecision(EscalationAction.Approve, Value: value, ExpectedVersion: Escalation.Version));
    }

    /// <summary>Asks for the value to approve as and/or confirms an irreversible action; null when the reviewer backs out.</summary>
    private async Task<string?> ConfirmAsync(string? choice, ProposedCall? proposed, IReadOnlyList<string>? choices)
    {
        var warning = QueueDisplay.NeedsConfirmation(proposed)
            ? $"This cannot be undone{(proposed!.Reversible == false ? "" : " cheaply")}: {proposed.Tool} {(proposed.Reach is null ? "" : $"reaches {proposed.Reach} ")}and undoing it costs {proposed.Cost}{(proposed.Stakes is null ? "" : $" ({proposed.Stakes})")}. Approve only if you are sure."
            : null;
        var parameters = new DialogParameters<DecisionDialog>
        {
            { d => d.Title, choices is null ? "Approve an action that cannot be undone?" : $"Approve {Detail.Choices!.DecisionName} as…" },
            { d => d.Warning, warning },
            { d => d.Choices, choices },
            { d => d.Choice, choice },
            { d => d.ConfirmText, warning is null ? "Approve" : "Approve anyway" },
        };
        var dialog = await Dialogs.ShowAsync<DecisionDialog>(null, parameters, DialogOptions);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: string value } ? value : null;
    }

    private async Task SubmitAsync(ReviewMode mode)
    {
        if (Locked)
        {
            return;
        }

        switch (mode)
        {
            case ReviewMode.Reject:
                await DecideAsync(new EscalationDecision(EscalationAction.Reject, Reason: _reason, ExpectedVersion: Escalation.Version));
                break;
            case ReviewMode.Return:
                await DecideAsync(new EscalationDecision(EscalationAction.Return, Guidance: _guidance, ExpectedVersion: Escalation.Version));
                break;
            case ReviewMode.TakeOver:
                await DecideAsync(new EscalationDecision(EscalationAction.TakeOver, Reason: _outcome, ExpectedVersion: Escalation.Version));
                break;
            case ReviewMode.Edit:
                if (ParseArguments(_arguments) is not { } arguments)
                {
                    return;
                }

                if (QueueDisplay.NeedsConfirmation(Proposed) && await ConfirmAsync(null, Proposed, null) is null)
                {
                    return;
                }

                await DecideAsync(new EscalationDecision(EscalationAction.EditApprove, Arguments: arguments, ExpectedVersion: Escalation.Version));
                break;
        }
    }

    /// <summary>The edited arguments as a JSON object, or null with a field message; the text stays as typed either way.</summary>
    private JsonObject? ParseArguments(string? text)
    {
        try
        {
            if (JsonNode.Parse(string.IsNullOrWhiteSpace(text) ? "null" : text) is JsonObject o)
            {
                return o;
            }

            _errors = new Dictionary<string, string[]> { ["arguments"] = ["The arguments must be a JSON object, e.g. {\"to\": \"someone@example.com\"}."] };
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            _errors = new Dictionary<string, string[]> { ["arguments"] = [$"Not valid JSON{where}: fix it and approve again."] };
        }

        return null;
    }

    private async Task CancelRunAsync()
    {
        if (Locked)
        {
            return;
        }

        var parameters = new DialogParameters<DecisionDialog>
        {
            { d => d.Title, "Cancel this run?" },
            { d => d.Warning, "The run stops and this escalation closes as cancelled. Nothing the agent proposed is run; you can re-run it later." },
            { d => d.ConfirmText, "Cancel the run" },
        };
        var dialog = await Dialogs.ShowAsync<DecisionDialog>(null, parameters, DialogOptions);
        var confirmed = await dialog.Result is { Canceled: false };
        if (confirmed)
        {
            await DecideAsync(new EscalationDecision(EscalationAction.Cancel, ExpectedVersion: Escalation.Version));
        }
    }

    private Task DecideAsync(EscalationDecision decision) =>
        RunAsync(() => Resolver.ResolveAsync(Escalation.Id, decision, new EscalationReviewer(Actor, [.. Roles], Actor.Contains('@', StringComparison.Ordinal) ? Actor : null)), resolves: true);

    /// <summary>Runs a command; a refusal is shown (409 and 403 as the engine words them, 400 at its field), never thrown.</summary>
    private async Task RunAsync(Func<Task<RunCommandResult>> command, bool resolves)
    {
        _busy = true;
        _problem = null;
        try
        {
            var result = await command();
            switch (result.Outcome)
            {
                case RunCommandOutcome.Done when resolves:
                    _mode = ReviewMode.None;
                    _errors = new Dictionary<string, string[]>();
                    await OnResolved.InvokeAsync($"{Detail.AgentName}: {result.Message}.");
                    return;
                case RunCommandOutcome.Done:
                    await OnChanged.InvokeAsync();
                    return;
                case RunCommandOutcome.Invalid when result.Errors is { Count: > 0 } errors:
                    _errors = errors;
                    break;
                case RunCommandOutcome.Conflict:
                    _problem = result.Message;
                    // Show what changed: who holds the case now, or that it is closed.
                    await OnChanged.InvokeAsync();
                    break;
                default:
                    _problem = result.Message ?? result.Outcome.ToString();
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            QueueLog.CommandFailed(Logger, ex, Escalation.Id);
            _problem = "That did not work because of an unexpected error; nothing was decided. Try again.";
        }
        finally
        {
            _busy = false;
        }
    }
}

/// <summary>Which decision form the review pane shows.</summary>
internal enum ReviewMode
{
    None,
    Reject,
    Edit,
    Return,
    TakeOver,
}
