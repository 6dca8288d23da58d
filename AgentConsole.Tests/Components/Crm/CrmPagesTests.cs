using AgentConsole.Access;
using AgentConsole.Components.Pages.Crm;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Tools.Crm;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Components.Crm;

/// <summary>The CRM pages over the demo workspace after a routed Acme lead (and a Globex escalation).</summary>
public sealed class CrmPagesTests(BusyWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<BusyWorkspaceFixture>
{
    private void SignInAs(string role)
    {
        Auth.SetAuthorized($"{role.ToLowerInvariant()}@agentconsole.local");
        Auth.SetRoles(role);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    private Task<int> DanaIdAsync() => workspace.Host.QueryAsync(db => db.Set<CrmLead>().Where(l => l.Email == "dana@acme.example").Select(l => l.Id).SingleAsync());

    [Fact]
    public void CrmPage_ListsTheSeededCompanies_WithTheHighStakesFlagVisible()
    {
        SignInAs(Roles.Manager);

        var page = Render<CrmPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=company-row]")));
        var initech = page.Find("tr:has([data-company=Initech])");
        Assert.Equal("HIGH-STAKES", initech.QuerySelector("[data-testid=high-stakes]")!.TextContent.Trim());
        Assert.Contains("key account", initech.QuerySelector("[data-testid=high-stakes-reason]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("$250 to undo", initech.QuerySelector("[data-testid=high-stakes-reason]")!.TextContent, StringComparison.Ordinal);
        var acme = page.Find("tr:has([data-company='Acme GmbH'])");
        Assert.Equal("42", acme.QuerySelector("[data-testid=company-employees]")!.TextContent.Trim());
        Assert.Null(acme.QuerySelector("[data-testid=high-stakes]"));
        // A Manager reads the CRM but does not edit it.
        Assert.Empty(page.FindAll("[data-testid=company-edit]"));
        Assert.Empty(page.FindAll("[data-testid=company-new]"));
    }

    [Fact]
    public void CrmPage_FiltersTheCompanies_BySearchText()
    {
        SignInAs(Roles.Reviewer);
        var page = Render<CrmPage>();
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=company-row]").Count > 1));

        page.Find("[data-testid=crm-companies] input").Change("glob");

        page.WaitForAssertion(() => Assert.Equal(["Globex"], page.FindAll("[data-testid=company-row]").Select(r => r.GetAttribute("data-company"))));
    }

    [Fact]
    public void CrmPage_ListsTheLeadTheDemoRunRouted()
    {
        SignInAs(Roles.Owner);

        var page = Render<CrmPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-email='dana@acme.example']")));
        var row = page.Find("tr:has([data-email='dana@acme.example'])");
        Assert.Equal("Mid-market sequence", row.QuerySelector("[data-testid=lead-route]")!.TextContent.Trim());
        Assert.Equal("Routed", row.QuerySelector("[data-testid=lead-status]")!.GetAttribute("data-status"));
    }

    [Fact]
    public async Task LeadPage_ShowsTheStatusHistoryAndTheAgentsChanges_WithLinksToTheRun()
    {
        SignInAs(Roles.Reviewer);
        var id = await DanaIdAsync();

        var page = Render<CrmLeadPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=change-row]")));
        Assert.Equal(["Routed", "New"], page.FindAll("[data-testid=history-row]").Select(r => r.GetAttribute("data-to")));
        Assert.Equal(["StatusSet", "LeadCreated"], page.FindAll("[data-testid=change-row]").Select(r => r.GetAttribute("data-kind")));
        Assert.All(page.FindAll("[data-testid=change-run-link]"), a => Assert.Equal($"/runs/{workspace.Succeeded}", a.GetAttribute("href")));
        Assert.Contains("agent:lead-router via crm_update_lead", page.Find("[data-kind=LeadCreated]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Sales EMEA", page.Find("[data-testid=lead-owner]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=lead-edit]"));
    }

    [Fact]
    public void LeadPage_SaysNotFound_ForAnUnknownLead()
    {
        SignInAs(Roles.Reviewer);

        var page = Render<CrmLeadPage>(p => p.Add(x => x.Id, 999_999));

        page.WaitForAssertion(() => Assert.Contains("LEAD-999999", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void CompanyForm_ShowsValidationMessages_ThenSaves_ForAnOwner()
    {
        SignInAs(Roles.Owner);
        var page = Render<CrmPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=company-row]")));

        page.Find("[data-testid=company-new]").Click();
        page.Find("input[data-testid=company-name]").Change("Initrode");
        page.Find("input[data-testid=company-domain]").Change("http://initrode");
        page.Find("[data-testid=company-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("An e-mail domain such as acme.example is required", page.Find("[data-testid=company-form]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-company=Initrode]"));

        page.Find("input[data-testid=company-domain]").Change("initrode.example");
        page.Find("input[data-testid=company-high-stakes]").Change(true);
        page.Find("[data-testid=company-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("Say why the account is high-stakes", page.Find("[data-testid=company-form]").TextContent, StringComparison.Ordinal));

        page.Find("input[data-testid=company-high-stakes-reason]").Change("Merger talks");
        page.Find("[data-testid=company-save]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-company=Initrode]")));
        Assert.Empty(page.FindAll("[data-testid=company-form]"));
        Assert.Contains("Merger talks", page.Find("tr:has([data-company=Initrode]) [data-testid=high-stakes-reason]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeadForm_SavesAStatusChange_IntoTheHistory_ForAnAdmin()
    {
        SignInAs(Roles.Admin);
        var id = await workspace.Host.QueryAsync(db => db.Set<CrmLead>().Where(l => l.Email == "miles@cyberdyne.example").Select(l => l.Id).SingleAsync());
        var page = Render<CrmLeadPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=lead-edit]")));

        page.Find("[data-testid=lead-edit]").Click();
        page.Find("input[data-testid=lead-name]").Change("");
        page.Find("[data-testid=lead-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("A name of 1 to 200 characters is required.", page.Find("[data-testid=lead-form]").TextContent, StringComparison.Ordinal));

        page.Find("input[data-testid=lead-name]").Change("Miles Bennett Dyson");
        page.Find("input[data-testid=lead-owner-input]").Change("Sales Americas");
        page.Find("[data-testid=lead-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("Sales Americas", page.Find("[data-testid=lead-owner]").TextContent.Trim()));
        Assert.Contains("owner: (none) → Sales Americas", page.Find("[data-testid=change-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains("admin@agentconsole.local", page.Find("[data-testid=change-row]").TextContent, StringComparison.Ordinal);
    }
}
