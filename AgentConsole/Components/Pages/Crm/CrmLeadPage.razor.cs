using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Tools.Crm;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AgentConsole.Components.Pages.Crm;

public sealed partial class CrmLeadPage
{
    private CrmLeadDetail? _detail;
    private bool _loaded;
    private CrmLeadEdit? _edit;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    [Parameter] public int Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private CrmAdministration Crm { get; set; } = default!;
    [Inject] private BrowserTime BrowserTime { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _detail = await Crm.LeadAsync(Id);
        _loaded = true;
    }

    private void StartEdit()
    {
        if (_detail is not null)
        {
            _edit = CrmLeadEdit.From(_detail.Lead);
            _errors = new Dictionary<string, string>();
        }
    }

    private string? ErrorOf(string field) => _errors.TryGetValue(field, out var message) ? message : null;

    private async Task SaveAsync()
    {
        var user = (await AuthState).User;
        if (_edit is null || !CrmEditing.Allowed(user))
        {
            _errors = new Dictionary<string, string> { [""] = CrmEditing.NotAllowed };
            return;
        }

        var result = await Crm.SaveLeadAsync(_edit, user.ActorName());
        if (!result.Saved)
        {
            _errors = result.Errors;
            return;
        }

        _edit = null;
        _detail = await Crm.LeadAsync(Id);
    }
}
