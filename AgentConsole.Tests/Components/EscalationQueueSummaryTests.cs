using System.Text.Json.Nodes;
using AgentConsole.Components.Pages.Escalations;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using Bunit;

namespace AgentConsole.Tests.Components;

/// <summary>The escalation queue sums up a held tool call and a tool failure on their row.</summary>
public sealed class EscalationQueueSummaryTests(ToolsWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<ToolsWorkspaceFixture>
{
    private async Task RaiseAsync(EscalationKind kind, JsonObject proposed)
    {
        var runId = await workspace.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, BusyWorkspaceFixture.MidMarketLead);
        await workspace.Host.QueryAsync(async db =>
        {
            var run = await db.Runs.FindAsync(runId);
            db.Escalations.Add(Escalation.Raise(run!, kind, $"{kind} test", "", "{}", DateTimeOffset.UtcNow, proposed.ToJsonString()));
            return await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task Queue_SumsUpTheHeldCall_AndTheToolFailure()
    {
        await RaiseAsync(EscalationKind.Approval, new JsonObject
        {
            ["tool"] = "send_email", ["access"] = "write", ["reach"] = "external", ["reversible"] = false, ["costToUndoUsd"] = 250m,
            ["arguments"] = new JsonObject { ["to"] = "ceo@globex.example" },
        });
        await RaiseAsync(EscalationKind.ToolFailure, new JsonObject
        {
            ["failure"] = "tool", ["tool"] = "crm_update", ["kind"] = "Transient", ["attempts"] = 4, ["lastError"] = "HTTP 503 from the CRM.",
        });

        var page = Render<EscalationsPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=escalation-failure-summary]")));
        Assert.Equal("Proposed: send_email · write · external · cannot be undone · $250 to undo",
            string.Join(" ", page.Find("[data-testid=escalation-proposed-summary]").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("crm_update: Failed 4 times in a row, retries exhausted. Last error: HTTP 503 from the CRM.",
            string.Join(" ", page.Find("[data-testid=escalation-failure-summary]").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }
}
