using AgentConsole.Components.Pages.Agents;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using Bunit;

namespace AgentConsole.Tests.Components;

/// <summary>The agent editor's escalation policy: the demo's route shows, edits land in the definition, bad values get field messages.</summary>
public sealed class EscalationPolicySectionTests : MudTestContext
{
    [Fact]
    public void Render_ShowsTheDemoRoute_AndThePolicyDefaults()
    {
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, DemoWorkspace.LeadRouter()));

        Assert.Equal("Human review", form.Find("[data-testid=engine-route-row] input[data-testid=engine-route-value]").GetAttribute("value"));
        Assert.Equal("240", form.Find("input[data-testid=policy-sla]").GetAttribute("value"));
        Assert.Contains("Hold and notify reviewers again", form.Find("[data-testid=policy-default-action]").TextContent);
    }

    [Fact]
    public void Editing_TheSlaAndReviewers_UpdatesTheDefinition_AndAddRouteAddsARow()
    {
        var definition = DemoWorkspace.LeadRouter();
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition));

        form.Find("input[data-testid=policy-sla]").Input("60");
        form.Find("input[data-testid=policy-reviewers]").Input("ana@example.com, bo@example.com");
        form.Find("[data-testid=add-engine-route]").Click();

        Assert.Equal(60, definition.Escalation.SlaMinutes);
        Assert.Equal(["ana@example.com", "bo@example.com"], definition.Escalation.Reviewers);
        Assert.Equal(2, form.FindAll("[data-testid=engine-route-row]").Count);
    }

    [Fact]
    public void BadValues_ShowFieldMessages_OnceTheUserTriedToSave()
    {
        var definition = DemoWorkspace.LeadRouter();
        definition.Escalation.SlaMinutes = 1;
        definition.Escalation.Reviewers = ["not an address"];
        var errors = AgentRules.Validate(definition);

        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition).Add(f => f.Errors, errors).Add(f => f.ShowErrors, true));

        Assert.Contains("between 5 minutes and 30 days", form.Markup, StringComparison.Ordinal);
        Assert.Contains("'not an address' is not an e-mail address", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TurningOffACondition_WarnsThatTheRunFailsInstead()
    {
        var definition = DemoWorkspace.LeadRouter();
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition));
        Assert.Empty(form.FindAll("[data-testid=policy-fails-warning]"));

        var toggle = form.Find("[data-testid=policy-tool-failures]");
        (toggle.TagName == "INPUT" ? toggle : toggle.QuerySelector("input")!).Change(false);

        Assert.False(definition.Escalation.EscalateToolFailures);
        Assert.NotNull(form.Find("[data-testid=policy-fails-warning]"));
    }

    [Fact]
    public void Rules_RefuseAnApprovalToolTheAgentIsNotGranted_AndAReminderAfterTheSla()
    {
        var definition = DemoWorkspace.LeadRouter();
        definition.Escalation.ApprovalTools = ["ledger_post"];
        definition.Escalation.ReminderMinutesBefore = 300;

        var errors = AgentRules.Validate(definition);

        Assert.Contains("'ledger_post' is not one of the agent's granted tools.", errors["escalation.approvalTools"]);
        Assert.Contains("escalation.reminderMinutesBefore", errors.Keys);
        Assert.DoesNotContain(AgentRules.Validate(DemoWorkspace.LeadRouter()).Keys, k => k.StartsWith("escalation", StringComparison.Ordinal));
        Assert.Equal(EscalationDefaultAction.Hold, new EscalationPolicy().DefaultAction);
    }
}
