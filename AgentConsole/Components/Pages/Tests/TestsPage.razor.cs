using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Evaluations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace AgentConsole.Components.Pages.Tests;

/// <summary>
/// Test sets per agent: choose the agent and the set, create, rename, make default, delete; the set's cases paged with
/// their kind and expectations; add, edit and delete cases in a dialog; import a CSV or JSON Lines file (line errors
/// shown, nothing saved on any error) and export through the API.
/// </summary>
public sealed partial class TestsPage
{
    private static readonly int[] PageSizes = [10, 25, 50, 100];
    private IReadOnlyList<Agent>? _agents;
    private IReadOnlyList<TestSetSummary>? _sets;
    private string? _agentKey;
    private Guid _setId;
    private string? _newSetName;
    private string? _setError;
    private string? _renameTo;
    private string? _renameError;
    private string _kindFilter = "";
    private string? _importMessage;
    private IReadOnlyList<TestCaseLineError> _importErrors = [];
    private MudTable<TestCase>? _table;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private TestSets TestSets { get; set; } = default!;
    [Inject] private IOptions<TestSetOptions> Options { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The largest file an import reads: a full set of large cases fits; anything bigger is not a test set.</summary>
    public const long MaxImportBytes = 16 * 1024 * 1024;

    private int PageSize => Options.Value.PageSize;

    private TestSetSummary? Selected => _sets?.FirstOrDefault(s => s.Id == _setId);

    /// <summary>The agent to open (<c>/tests?agent=lead-router</c>, as the workbench links here); else the first agent.</summary>
    [SupplyParameterFromQuery(Name = "agent")] private string? AgentParam { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _agents = await Agents.ListAsync();
        if (_agents.Count > 0)
        {
            await SelectAgentAsync(_agents.FirstOrDefault(a => string.Equals(a.Key, AgentParam, StringComparison.OrdinalIgnoreCase))?.Key ?? _agents[0].Key);
        }
    }

    private async Task<string> ActorAsync() => (await AuthState).User.ActorName();

    private async Task SelectAgentAsync(string key)
    {
        _agentKey = key;
        _setError = null;
        await ReloadSetsAsync(null);
    }

    private async Task ReloadSetsAsync(Guid? select)
    {
        _sets = await TestSets.ListAsync(_agentKey!) ?? [];
        var chosen = _sets.FirstOrDefault(s => s.Id == select) ?? _sets.FirstOrDefault(s => s.Id == _setId) ?? (_sets.Count > 0 ? _sets[0] : null);
        await SelectSetAsync(chosen?.Id ?? Guid.Empty);
    }

    private async Task SelectSetAsync(Guid id)
    {
        var changed = id != _setId;
        _setId = id;
        _renameTo = Selected?.Name;
        _renameError = null;
        if (changed)
        {
            ClearImport();
        }

        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private async Task<TableData<TestCase>> LoadCasesAsync(TableState state, CancellationToken ct)
    {
        if (_setId == Guid.Empty)
        {
            return new TableData<TestCase> { Items = [], TotalItems = 0 };
        }

        TestCaseKind? kind = Enum.TryParse<TestCaseKind>(_kindFilter, out var k) ? k : null;
        var page = await TestSets.ListCasesAsync(_setId, kind, state.Page * state.PageSize, state.PageSize, ct);
        return new TableData<TestCase> { Items = page?.Items ?? [], TotalItems = page?.Total ?? 0 };
    }

    private async Task FilterAsync(string kind)
    {
        _kindFilter = kind;
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private async Task CreateSetAsync()
    {
        var result = await TestSets.CreateAsync(_agentKey!, _newSetName, null, await ActorAsync());
        _setError = result.Succeeded ? null : string.Join(" ", result.Errors.SelectMany(e => e.Value).DefaultIfEmpty(result.Message));
        if (result.Succeeded)
        {
            _newSetName = null;
            Snackbar.Add(result.Message, Severity.Success);
            await ReloadSetsAsync(result.Set!.Id);
        }
    }

    private async Task RenameAsync()
    {
        var result = await TestSets.RenameAsync(_setId, _renameTo, Selected?.Description, await ActorAsync());
        _renameError = result.Succeeded ? null : string.Join(" ", result.Errors.SelectMany(e => e.Value).DefaultIfEmpty(result.Message));
        if (result.Succeeded)
        {
            Snackbar.Add(result.Message, Severity.Success);
            await ReloadSetsAsync(_setId);
        }
    }

    private async Task MakeDefaultAsync()
    {
        var result = await TestSets.MakeDefaultAsync(_setId, await ActorAsync());
        Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadSetsAsync(_setId);
    }

    private async Task DeleteSetAsync()
    {
        var set = Selected!;
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete test set?",
            $"'{set.Name}' and its {TestCaseText.Count(set.Cases, "case")} are deleted. This cannot be undone.", yesText: "Delete", cancelText: "Keep it");
        if (confirmed != true)
        {
            return;
        }

        var result = await TestSets.DeleteAsync(set.Id, await ActorAsync());
        Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
        await ReloadSetsAsync(null);
    }

    private Task AddCaseAsync() => OpenCaseDialogAsync("Add a case", null, null);

    private Task EditCaseAsync(TestCase testCase) => OpenCaseDialogAsync($"Edit '{testCase.Name}'", TestCaseEdit.From(testCase), testCase.Id);

    private async Task OpenCaseDialogAsync(string title, TestCaseEdit? initial, Guid? caseId)
    {
        var actor = await ActorAsync();
        var parameters = new DialogParameters<TestCaseDialog>
        {
            { d => d.Title, title },
            { d => d.Initial, initial },
            { d => d.SetId, _setId },
            {
                d => d.Save, (setId, edit) => caseId is { } id ? TestSets.UpdateCaseAsync(setId, id, edit, actor) : TestSets.AddCaseAsync(setId, edit, actor)
            },
        };
        var dialog = await Dialogs.ShowAsync<TestCaseDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add(caseId is null ? "Case added." : "Case saved.", Severity.Success);
            await ReloadSetsAsync(_setId);
        }
    }

    private async Task DeleteCaseAsync(TestCase testCase)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete case?", $"'{testCase.Name}' is removed from the set.", yesText: "Delete", cancelText: "Keep it");
        if (confirmed != true)
        {
            return;
        }

        var result = await TestSets.DeleteCaseAsync(_setId, testCase.Id, await ActorAsync());
        Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Warning);
        await ReloadSetsAsync(_setId);
    }

    private async Task ImportAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        var format = file.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? TestCaseFileFormat.Csv : TestCaseFileFormat.JsonLines;
        if (file.Size > MaxImportBytes)
        {
            (_importMessage, _importErrors) = ($"'{file.Name}' is larger than {MaxImportBytes / (1024 * 1024)} MB; nothing was imported.", [new TestCaseLineError(1, "file too large")]);
            return;
        }

        string content;
        await using (var stream = file.OpenReadStream(MaxImportBytes))
        using (var reader = new StreamReader(stream))
        {
            content = await reader.ReadToEndAsync();
        }

        var result = await TestSets.ImportAsync(_setId, content, format, await ActorAsync());
        _importErrors = result.Errors;
        _importMessage = result.Succeeded
            ? $"{file.Name}: {result.Message}"
            : $"{file.Name}: nothing was imported; fix {(result.Errors.Count == 1 ? "this line" : $"these {result.Errors.Count} lines")} and import it again.";
        await ReloadSetsAsync(_setId);
    }

    private void ClearImport()
    {
        _importMessage = null;
        _importErrors = [];
    }
}
