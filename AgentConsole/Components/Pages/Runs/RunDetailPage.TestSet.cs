using AgentConsole.Components.Pages.Tests;
using AgentConsole.Engine.Evaluations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>"Add to test set": the run as a prefilled case the owner edits, then saves into a set of the agent (the default preselected).</summary>
public sealed partial class RunDetailPage
{
    [Inject] private TestSets TestSets { get; set; } = default!;

    private async Task AddToTestSetAsync()
    {
        var draft = await TestSets.DraftFromRunAsync(Id);
        if (draft.Case is null)
        {
            Snackbar.Add(draft.Message, Severity.Warning);
            return;
        }

        var sets = await TestSets.ListAsync(draft.AgentKey!) ?? [];
        if (sets.Count == 0)
        {
            Snackbar.Add($"Agent '{draft.AgentKey}' has no test set yet: create one on the Tests page first.", Severity.Warning);
            return;
        }

        var actor = await ActorAsync();
        var parameters = new DialogParameters<TestCaseDialog>
        {
            { d => d.Title, "Add this run to a test set" },
            { d => d.Intro, draft.Message },
            { d => d.Initial, draft.Case },
            { d => d.Sets, sets },
            { d => d.SetId, sets.FirstOrDefault(s => s.IsDefault)?.Id ?? sets[0].Id },
            { d => d.Save, (setId, edit) => TestSets.AddCaseAsync(setId, edit, actor) },
        };
        var dialog = await Dialogs.ShowAsync<TestCaseDialog>("Add to test set", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Added to the test set.", Severity.Success);
        }
    }
}
