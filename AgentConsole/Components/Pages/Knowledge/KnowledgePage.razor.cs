using System.Globalization;
using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools.Knowledge;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace AgentConsole.Components.Pages.Knowledge;

public sealed partial class KnowledgePage
{
    private Agent? _agent;
    private IReadOnlyList<KnowledgeDocumentView> _documents = [];
    private bool _loading = true;
    private bool _canEdit;
    private bool _busy;
    private string? _title;
    private (string Name, byte[] Content)? _chosen;
    private string? _uploadProblem;
    private Guid? _confirmDelete;
    private KnowledgeDocument? _viewing;
    private IReadOnlyList<KnowledgePassage> _passages = [];
    private string? _query;
    private string? _searchProblem;
    private KnowledgeSearchResult? _result;

    [Parameter] public string Key { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private AgentCatalog Catalog { get; set; } = default!;
    [Inject] private KnowledgeBase Knowledge { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private bool Granted => _agent?.Tools.Any(g => g.Tool == KnowledgeSearchConnector.SearchTool) == true;

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        var user = (await AuthState).User;
        _canEdit = (await Authorization.AuthorizeAsync(user, Policies.EditAgents)).Succeeded;
        _agent = await Catalog.FindAsync(Key);
        if (_agent is not null)
        {
            _documents = await Knowledge.ListAsync(_agent.Key);
        }

        _loading = false;
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1_024 => $"{bytes} B",
        < 1_048_576 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_048_576.0:0.#} MB"),
    };

    private async Task OnFileChosenAsync(IBrowserFile? file)
    {
        _uploadProblem = null;
        _chosen = null;
        if (file is null)
        {
            return;
        }

        var limit = Knowledge.Options.MaxDocumentBytes;
        if (file.Size > limit)
        {
            _uploadProblem = $"'{file.Name}' is {Bytes(file.Size)}; documents may be at most {Bytes(limit)}. Split it into smaller documents.";
            return;
        }

        // The browser's stream is read once, here; the bytes wait for the Upload button (a title may still be typed).
        using var buffer = new MemoryStream((int)file.Size);
        await using (var stream = file.OpenReadStream(limit))
        {
            await stream.CopyToAsync(buffer);
        }

        _chosen = (file.Name, buffer.ToArray());
    }

    private async Task UploadAsync()
    {
        if (_chosen is not { } file || _agent is null)
        {
            return;
        }

        _busy = true;
        _uploadProblem = null;
        try
        {
            var actor = (await AuthState).User.ActorName();
            var result = await Knowledge.UploadAsync(_agent.Key, new KnowledgeUpload(_title, file.Name, file.Content), actor);
            if (result.Outcome != KnowledgeUploadOutcome.Saved)
            {
                _uploadProblem = result.Message;
                return;
            }

            Snackbar.Add(result.Message!, Severity.Success);
            _chosen = null;
            _title = null;
            _documents = await Knowledge.ListAsync(_agent.Key);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ViewAsync(KnowledgeDocumentView document)
    {
        _viewing = await Knowledge.FindAsync(document.AgentKey, document.Id);
        _passages = _viewing is null ? [] : await Knowledge.PassagesAsync(document.AgentKey, document.Id);
    }

    private async Task DeleteAsync(KnowledgeDocumentView document)
    {
        _busy = true;
        try
        {
            var actor = (await AuthState).User.ActorName();
            var deleted = await Knowledge.DeleteAsync(document.AgentKey, document.Id, actor);
            Snackbar.Add(deleted ? $"'{document.Title}' deleted." : $"'{document.Title}' was already deleted.", deleted ? Severity.Success : Severity.Info);
            _confirmDelete = null;
            if (_viewing?.Id == document.Id)
            {
                _viewing = null;
            }

            _documents = await Knowledge.ListAsync(document.AgentKey);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SearchOnEnterAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await SearchAsync();
        }
    }

    private async Task SearchAsync()
    {
        if (_agent is null)
        {
            return;
        }

        _searchProblem = null;
        try
        {
            _result = await Knowledge.SearchAsync(_agent.Key, _query);
        }
        catch (KnowledgeQueryException ex)
        {
            _result = null;
            _searchProblem = ex.Message;
        }
    }
}
