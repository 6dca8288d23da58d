using System.Text.Json.Nodes;
using AgentConsole.Components.Pages.Escalations;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools.Crm;
using Bunit;
using MudBlazor;

namespace AgentConsole.Tests.Components.Escalations;

/// <summary>The demo agent with every CRM lead update held for approval, so the queue gets a real held call to edit.</summary>
public sealed class ApprovalWorkspaceFixture : WorkspaceFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Host.UpdateDemoAgentAsync(a => a.Escalation.ApprovalTools = [CrmTools.UpdateLead]);
    }
}

/// <summary>Edit and approve against the held call's tool schema: refused at the field with the text kept, then approved.</summary>
public sealed class EscalationEditApproveTests(ApprovalWorkspaceFixture workspace) : QueueTestContext(workspace), IClassFixture<ApprovalWorkspaceFixture>
{
    private readonly ApprovalWorkspaceFixture _workspace = workspace;

    [Fact]
    public async Task EditAndApprove_RefusesArgumentsThatBreakTheSchema_AtTheField_ThenRunsTheCorrectedCall()
    {
        var runId = await _workspace.Host.StartRunAsync(Engine.Demo.DemoWorkspace.LeadRouterKey, BusyWorkspaceFixture.MidMarketLead);
        var waiting = await _workspace.Host.ExecuteAsync(runId);
        var held = Assert.Single(waiting.Escalations, e => e.IsOpen);
        Assert.Equal(EscalationKind.Approval, held.Kind);
        var page = Render<EscalationsPage>(p => p.Add(c => c.Id, held.Id));
        page.WaitForAssertion(() => Assert.Equal(held.Id.ToString(), page.Find("[data-testid=escalation-detail]").GetAttribute("data-escalation-id")));

        page.Find("[data-testid=escalation-edit]").Click();
        const string withoutEmail = """{"name": "Dana Lee", "route": "Mid-market sequence"}""";
        page.Find("[data-testid=review-arguments]").Input(withoutEmail);
        page.Find("[data-testid=review-submit]").Click();
        ConfirmIfAsked();

        page.WaitForAssertion(() => Assert.Contains("email", page.Find(".mud-input-control:has([data-testid=review-arguments]) .mud-input-helper-text").TextContent, StringComparison.Ordinal));
        var kept = page.Find("[data-testid=review-arguments]");
        Assert.Equal(withoutEmail, kept.GetAttribute("value") ?? kept.TextContent);
        Assert.True((await QueueWorkspace.ReloadAsync(_workspace.Host, held.Id)).IsOpen);

        var corrected = JsonNode.Parse(ProposedArguments(held))!.AsObject();
        corrected["notes"] = "Checked by a reviewer.";
        page.Find("[data-testid=review-arguments]").Input(corrected.ToJsonString());
        page.Find("[data-testid=review-submit]").Click();
        ConfirmIfAsked();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=escalation-row][data-escalation-id='{held.Id}']")), TimeSpan.FromSeconds(10));
        var decided = await QueueWorkspace.ReloadAsync(_workspace.Host, held.Id);
        Assert.Equal("edit-approve", decided.Resolution);
        Assert.Contains("Checked by a reviewer.", decided.EditedArguments, StringComparison.Ordinal);
        Assert.NotEqual(RunStatus.WaitingForHuman, (await _workspace.Host.Runs.GetAsync(runId))!.Run.Status);
    }

    private static string ProposedArguments(Escalation escalation) =>
        JsonNode.Parse(escalation.ProposedAction!)!["arguments"]!.ToJsonString();

    /// <summary>A held call that is costly to undo asks for a confirmation first; this test is about the arguments.</summary>
    private void ConfirmIfAsked()
    {
        if (Dialogs.FindAll("[data-testid=decision-dialog-confirm]") is { Count: > 0 } confirm)
        {
            confirm[0].Click();
        }
    }
}
