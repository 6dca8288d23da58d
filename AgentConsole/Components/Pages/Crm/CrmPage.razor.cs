using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Tools.Crm;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Crm;

public sealed partial class CrmPage
{
    private MudTable<CrmCompany>? _companies;
    private MudTable<CrmLead>? _leads;
    private string? _companySearch;
    private string? _leadSearch;
    private CrmLeadStatus? _leadStatus;
    private CrmCompanyEdit? _companyEdit;
    private IReadOnlyDictionary<string, string> _companyErrors = new Dictionary<string, string>();

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private CrmAdministration Crm { get; set; } = default!;
    [Inject] private BrowserTime BrowserTime { get; set; } = default!;

    private async Task<TableData<CrmCompany>> LoadCompaniesAsync(TableState state, CancellationToken ct)
    {
        var page = await Crm.CompaniesAsync(_companySearch, state.Page * state.PageSize, state.PageSize, ct);
        return new TableData<CrmCompany> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<TableData<CrmLead>> LoadLeadsAsync(TableState state, CancellationToken ct)
    {
        var page = await Crm.LeadsAsync(_leadSearch, _leadStatus, state.Page * state.PageSize, state.PageSize, ct);
        return new TableData<CrmLead> { Items = page.Items, TotalItems = page.Total };
    }

    private Task CompanySearchChanged(string? text)
    {
        _companySearch = text;
        return _companies?.ReloadServerData() ?? Task.CompletedTask;
    }

    private Task LeadSearchChanged(string? text)
    {
        _leadSearch = text;
        return _leads?.ReloadServerData() ?? Task.CompletedTask;
    }

    private Task LeadStatusChanged(CrmLeadStatus? status)
    {
        _leadStatus = status;
        return _leads?.ReloadServerData() ?? Task.CompletedTask;
    }

    private void NewCompany()
    {
        _companyEdit = new CrmCompanyEdit { OwningTeam = "Sales EMEA", HighStakesCostUsd = CrmSeed.KeyAccountCostToUndoUsd };
        _companyErrors = new Dictionary<string, string>();
    }

    private void EditCompany(CrmCompany company)
    {
        _companyEdit = CrmCompanyEdit.From(company);
        _companyErrors = new Dictionary<string, string>();
    }

    private void CancelCompany() => _companyEdit = null;

    private async Task SaveCompanyAsync()
    {
        var user = (await AuthState).User;
        if (_companyEdit is null || !CrmEditing.Allowed(user))
        {
            // The button is only shown to Owners and Admins; the check here is for a crafted event.
            _companyErrors = new Dictionary<string, string> { [""] = CrmEditing.NotAllowed };
            return;
        }

        var result = await Crm.SaveCompanyAsync(_companyEdit, user.ActorName());
        if (!result.Saved)
        {
            _companyErrors = result.Errors;
            return;
        }

        _companyEdit = null;
        if (_companies is not null)
        {
            await _companies.ReloadServerData();
        }
    }
}
