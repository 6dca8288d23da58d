using System.Text.Json.Nodes;
using AgentConsole.Components.Pages.Escalations;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace AgentConsole.Tests.Components.Escalations;

/// <summary>The queue's detail pane: the context it shows, the validation of each decision, the confirmations and conflicts.</summary>
public sealed class EscalationReviewTests(QueueWorkspaceFixture workspace) : QueueTestContext(workspace), IClassFixture<QueueWorkspaceFixture>
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(10);
    private readonly QueueWorkspaceFixture _workspace = workspace;

    private IRenderedComponent<EscalationsPage> Open(Guid id)
    {
        var page = Render<EscalationsPage>(p => p.Add(c => c.Id, id));
        page.WaitForAssertion(() => Assert.Equal(id.ToString(), page.Find("[data-testid=escalation-detail]").GetAttribute("data-escalation-id")));
        return page;
    }

    private static string Text(IRenderedComponent<EscalationsPage> page, string testId) =>
        string.Join(" ", page.Find($"[data-testid={testId}]").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task Detail_ShowsWhyWhatItDidWhatItSawTheProposedCallAndTheSla()
    {
        var saw = new JsonObject
        {
            ["input"] = new JsonObject { ["company"] = "Globex" },
            ["facts"] = new JsonObject { ["lead_routing"] = "Human review" },
            ["toolResults"] = new JsonArray(new JsonObject { ["tool"] = "crm_find_company", ["result"] = "found" }),
        };
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Approval, QueueWorkspace.IrreversibleEmail(), saw.ToJsonString());

        var page = Open(escalation.Id);

        Assert.Equal("Approval test case", Text(page, "detail-reason"));
        Assert.Contains("Scored the lead", Text(page, "detail-what-it-did"), StringComparison.Ordinal);
        Assert.Equal(["Input", "Facts (decision results)", "Tool results"], page.FindAll("[data-testid=saw-section]").Select(s => s.GetAttribute("data-section")));
        Assert.Contains("crm_find_company", page.Find("[data-section='Tool results'] pre").TextContent, StringComparison.Ordinal);
        Assert.Equal("email_send", page.Find("[data-testid=proposed-tool]").TextContent.Trim());
        Assert.Equal("No: it cannot be undone", page.Find("[data-testid=proposed-reversible]").TextContent.Trim());
        Assert.Equal("tests@agentconsole.local", Text(page, "detail-started-by"));
        Assert.Contains("due in 3 h", Text(page, "detail-sla"), StringComparison.Ordinal);
        Assert.Contains("then the default action: hold and notify reviewers again", Text(page, "detail-sla"), StringComparison.Ordinal);
        Assert.Equal($"/runs/{escalation.RunId}", page.Find("[data-testid=detail-run-link]").GetAttribute("href"));
        Assert.NotNull(page.Find("[data-testid=escalation-edit]"));
    }

    [Theory]
    [InlineData("escalation-reject", "review-reason", "Say why you reject")]
    [InlineData("escalation-return", "review-guidance", "Returning to the agent needs guidance")]
    [InlineData("escalation-take-over", "review-outcome", "Taking over needs your outcome")]
    public async Task Decisions_WithoutTheirText_ShowTheEnginesMessageAtTheField_AndDecideNothing(string button, string field, string message)
    {
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Agent);
        var page = Open(escalation.Id);

        page.Find($"[data-testid={button}]").Click();
        page.Find("[data-testid=review-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains(message, page.Find($".mud-input-control:has([data-testid={field}]) .mud-input-helper-text").TextContent, StringComparison.Ordinal));
        Assert.True((await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).IsOpen);
    }

    [Fact]
    public async Task EditAndApprove_WithInvalidJson_ShowsAFieldError_AndKeepsTheText()
    {
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Approval, QueueWorkspace.IrreversibleEmail());
        var page = Open(escalation.Id);

        page.Find("[data-testid=escalation-edit]").Click();
        var arguments = page.Find("[data-testid=review-arguments]");
        Assert.Contains("ceo@globex.example", arguments.GetAttribute("value") ?? arguments.TextContent, StringComparison.Ordinal);
        const string broken = "{\"to\": \"cfo@globex.example\",";
        page.Find("[data-testid=review-arguments]").Input(broken);
        page.Find("[data-testid=review-submit]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Not valid JSON", page.Find(".mud-input-control:has([data-testid=review-arguments]) .mud-input-helper-text").TextContent.Trim(), StringComparison.Ordinal));
        var kept = page.Find("[data-testid=review-arguments]");
        Assert.Equal(broken, kept.GetAttribute("value") ?? kept.TextContent);
        Assert.Empty(Dialogs.FindAll("[data-testid=decision-dialog-confirm]"));
        Assert.True((await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).IsOpen);
    }

    [Fact]
    public async Task Approve_OfAnIrreversibleCall_AsksForConfirmationFirst_AndBackingOutDecidesNothing()
    {
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Approval, QueueWorkspace.IrreversibleEmail());
        var page = Open(escalation.Id);

        page.Find("[data-testid=escalation-approve]").Click();

        Dialogs.WaitForAssertion(() => Assert.StartsWith("This cannot be undone", Dialogs.Find("[data-testid=decision-warning]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Contains("$250", Dialogs.Find("[data-testid=decision-warning]").TextContent, StringComparison.Ordinal);
        Dialogs.Find("[data-testid=decision-dialog-cancel]").Click();
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=decision-dialog]")));
        Assert.True((await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).IsOpen);
    }

    [Fact]
    public async Task Approve_OfARouteEscalation_AsksForOneOfTheDecisionsValues_AndResumesTheRunWithIt()
    {
        var escalation = await QueueWorkspace.RouteAsync(_workspace.Host);
        var page = Open(escalation.Id);

        page.Find("[data-testid=escalation-approve]").Click();

        // No approval without a usable answer: the values the decision allows, minus the one that routes to a person.
        Dialogs.WaitForAssertion(() => Assert.Equal(["SMB sequence", "Mid-market sequence"],
            Dialogs.FindAll("[data-testid=decision-choices] label.mud-radio").Select(c => c.TextContent.Trim())));
        Assert.True((await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).IsOpen);
        Dialogs.FindAll("[data-testid=decision-choice]")[1].Click();
        Dialogs.Find("[data-testid=decision-dialog-confirm]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=escalation-row][data-escalation-id='{escalation.Id}']")), Live);
        var decided = await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id);
        Assert.Equal("Mid-market sequence", decided.ChosenValue);
        Assert.Equal(QueueWorkspace.Reviewer, decided.ResolvedBy);
        Assert.NotEqual(RunStatus.WaitingForHuman, (await _workspace.Host.Runs.GetAsync(escalation.RunId))!.Run.Status);
    }

    [Fact]
    public async Task Claim_OfACaseSomeoneElseHolds_ShowsWhoIsWorkingOnIt_AndDisablesTheDecisions()
    {
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Agent);
        var page = Open(escalation.Id);
        var claimDuration = _workspace.Host.Services.GetRequiredService<IOptions<EscalationOptions>>().Value.ClaimDuration;
        // Claimed behind the page's back (no live update), so the page finds out from the 409.
        await _workspace.Host.QueryAsync(async db =>
        {
            var held = await db.Escalations.FindAsync(escalation.Id);
            held!.Claim("other.reviewer@agentconsole.local", DateTimeOffset.UtcNow, claimDuration);
            return await db.SaveChangesAsync();
        });

        page.Find("[data-testid=escalation-claim]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("other.reviewer@agentconsole.local is working on this escalation", Text(page, "review-problem"), StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.StartsWith("other.reviewer@agentconsole.local is working on this", Text(page, "review-claimed-by-other"), StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=escalation-approve]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=escalation-reject]").HasAttribute("disabled"));
        Assert.Contains("Claimed by other.reviewer@agentconsole.local", Text(page, $"escalation-row][data-escalation-id='{escalation.Id}'] [data-testid=escalation-claimed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_ThenRelease_MarksTheCaseAsYours_AndFreesItAgain()
    {
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Agent);
        var page = Open(escalation.Id);

        page.Find("[data-testid=escalation-claim]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=review-claimed-by-me]")));
        Assert.Equal(QueueWorkspace.Reviewer, (await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).ClaimedBy);

        page.Find("[data-testid=escalation-release]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=escalation-claim]")));
        Assert.Null((await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).ClaimedBy);
    }

    [Fact]
    public async Task FourEyes_DisablesApproval_ForWhoeverStartedTheRun()
    {
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Approval, QueueWorkspace.IrreversibleEmail());
        // The runs in these tests are started by tests@agentconsole.local.
        QueueWorkspace.SignInAsReviewer(Auth, "tests@agentconsole.local");

        var page = Open(escalation.Id);

        Assert.Contains("Four eyes", Text(page, "review-four-eyes"), StringComparison.Ordinal);
        Assert.True(page.Find("[data-testid=escalation-approve]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=escalation-edit]").HasAttribute("disabled"));
        Assert.False(page.Find("[data-testid=escalation-reject]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Queue_ShowsANewEscalation_RaisedWhileItIsOpen()
    {
        var first = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Agent);
        var page = Open(first.Id);

        var raised = await QueueWorkspace.RouteAsync(_workspace.Host);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid=escalation-row][data-escalation-id='{raised.Id}']")), Live);
        Assert.Equal(first.Id.ToString(), page.Find("[data-testid=escalation-detail]").GetAttribute("data-escalation-id"));
    }

    [Fact]
    public async Task Reject_WithAReason_ClosesTheCase_EndsTheRun_AndSelectsTheNextOne()
    {
        var rejected = await QueueWorkspace.RouteAsync(_workspace.Host);
        var page = Open(rejected.Id);

        page.Find("[data-testid=escalation-reject]").Click();
        page.Find("[data-testid=review-reason]").Input("Not a fit for us.");
        page.Find("[data-testid=review-submit]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=escalation-row][data-escalation-id='{rejected.Id}']")), Live);
        var decided = await QueueWorkspace.ReloadAsync(_workspace.Host, rejected.Id);
        Assert.Equal(EscalationStatus.Rejected, decided.Status);
        Assert.Equal("Not a fit for us.", decided.Comment);
        Assert.Equal(RunStatus.Cancelled, (await _workspace.Host.Runs.GetAsync(rejected.RunId))!.Run.Status);
        page.WaitForAssertion(() => Assert.NotEqual(rejected.Id.ToString(), page.Find("[data-testid=escalation-detail]").GetAttribute("data-escalation-id")));
    }

    [Fact]
    public async Task CancelTheRun_AsksFirst_ThenEndsTheRun()
    {
        var escalation = await QueueWorkspace.RouteAsync(_workspace.Host);
        var page = Open(escalation.Id);

        page.Find("[data-testid=escalation-cancel]").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("closes as cancelled", Dialogs.Find("[data-testid=decision-warning]").TextContent, StringComparison.Ordinal));
        Assert.True((await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).IsOpen);
        Dialogs.Find("[data-testid=decision-dialog-confirm]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=escalation-row][data-escalation-id='{escalation.Id}']")), Live);
        Assert.Equal(EscalationStatus.Cancelled, (await QueueWorkspace.ReloadAsync(_workspace.Host, escalation.Id)).Status);
        Assert.Equal(RunStatus.Cancelled, (await _workspace.Host.Runs.GetAsync(escalation.RunId))!.Run.Status);
    }

    [Fact]
    public async Task LimitCase_SaysHowManyExtraAllowancesTheRunHadOfThePolicysMaximum()
    {
        var escalation = await QueueWorkspace.RaiseAsync(_workspace.Host, EscalationKind.Limit, limit: RunLimit.Steps);

        var page = Open(escalation.Id);

        Assert.Equal($"Limit reached: Steps. Extra allowances used 0 of {EscalationPolicy.DefaultMaxLimitGrants}.", Text(page, "detail-limit"));
        Assert.Contains("Grant another allowance", page.Find("[data-testid=escalation-approve]").TextContent, StringComparison.Ordinal);
    }
}
