using System.Text.Json.Nodes;
using AgentConsole.Components.Layout;
using AgentConsole.Components.Pages.Runs;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>The escalation card reads an approval's held call and a tool failure from their JSON, rather than dumping it.</summary>
public sealed class EscalationCardTests : MudTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    public EscalationCardTests()
        : base(services => services.AddSingleton(TimeProvider.System).AddScoped<BrowserTime>())
    {
    }

    private static Escalation Raise(EscalationKind kind, string reason, JsonObject? proposed) =>
        Escalation.Raise(Run.Create("lead-router", "Inbound lead router", "{}", "tests", Now), kind, reason, "- Looked up the company", "{}", Now, proposed?.ToJsonString());

    [Fact]
    public void ApprovalCard_ShowsTheProposedCall_WithArgumentsReversibilityCostAndBothReasons()
    {
        var escalation = Raise(EscalationKind.Approval, "Approval needed to call send_email", new JsonObject
        {
            ["tool"] = "send_email",
            ["title"] = "Send an e-mail",
            ["arguments"] = new JsonObject { ["to"] = "ceo@globex.example", ["subject"] = "Your trial" },
            ["access"] = "write",
            ["reach"] = "external",
            ["reversible"] = false,
            ["costToUndoUsd"] = 250m,
            ["stakes"] = "Globex is marked high-stakes in the CRM",
            ["connection"] = "email",
            ["reason"] = "'send_email' cannot be undone, so it is never autonomous.",
        });

        var card = Render<EscalationCard>(p => p.Add(c => c.Escalation, escalation));

        Assert.Contains("send_email", card.Find("[data-testid=proposed-tool]").TextContent, StringComparison.Ordinal);
        Assert.Contains("via email", card.Find("[data-testid=proposed-tool]").TextContent, StringComparison.Ordinal);
        Assert.Equal("write · external", card.Find("[data-testid=proposed-access]").TextContent.Trim());
        Assert.Equal("No: it cannot be undone", card.Find("[data-testid=proposed-reversible]").TextContent.Trim());
        Assert.Equal("$250 — Globex is marked high-stakes in the CRM", card.Find("[data-testid=proposed-cost]").TextContent.Trim());
        Assert.Equal("'send_email' cannot be undone, so it is never autonomous.", card.Find("[data-testid=proposed-reason]").TextContent.Trim());
        var arguments = JsonNode.Parse(card.Find("[data-testid=proposed-arguments]").TextContent)!;
        Assert.Equal("ceo@globex.example", arguments["to"]!.GetValue<string>());
        Assert.Empty(card.FindAll("[data-testid=escalation-proposed]"));
    }

    [Fact]
    public void ToolFailureCard_SaysWhatFailed_HowOften_AndTheLastError()
    {
        var escalation = Raise(EscalationKind.ToolFailure, "crm_update failed 4 times in a row; last error: HTTP 503", new JsonObject
        {
            ["failure"] = "tool",
            ["tool"] = "crm_update",
            ["callId"] = "call_1",
            ["kind"] = "Transient",
            ["attempts"] = 4,
            ["lastError"] = "The CRM answered HTTP 503 Service Unavailable.",
        });

        var card = Render<EscalationCard>(p => p.Add(c => c.Escalation, escalation));

        Assert.Equal("crm_update", card.Find("[data-testid=failure-tool]").TextContent.Trim());
        Assert.Equal("Failed 4 times in a row, retries exhausted.", card.Find("[data-testid=failure-attempts]").TextContent.Trim());
        Assert.Equal("The CRM answered HTTP 503 Service Unavailable.", card.Find("[data-testid=failure-last-error]").TextContent.Trim());
    }

    [Fact]
    public void PermanentToolFailure_SaysRetryingCannotFixIt()
    {
        var escalation = Raise(EscalationKind.ToolFailure, "crm_update failed", new JsonObject
        {
            ["failure"] = "tool", ["tool"] = "crm_update", ["kind"] = "Permanent", ["attempts"] = 1, ["lastError"] = "401 Unauthorized: check the token.",
        });

        var card = Render<EscalationCard>(p => p.Add(c => c.Escalation, escalation));

        Assert.StartsWith("Failed in a way retrying cannot fix", card.Find("[data-testid=failure-attempts]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void OtherProposedJson_IsStillShown_AsJson()
    {
        var escalation = Raise(EscalationKind.Agent, "Unsure", new JsonObject { ["note"] = "something else" });

        var card = Render<EscalationCard>(p => p.Add(c => c.Escalation, escalation));

        Assert.Contains("something else", card.Find("[data-testid=escalation-proposed]").TextContent, StringComparison.Ordinal);
        Assert.Empty(card.FindAll("[data-testid=escalation-proposed-call]"));
    }

    [Fact]
    public void OpenCard_LinksToTheCaseInTheReviewQueue_ForReviewers()
    {
        var escalation = Raise(EscalationKind.Agent, "The agent asks a person", null);

        var card = Render<EscalationCard>(p => p.Add(c => c.Escalation, escalation).Add(c => c.CanResolve, true));

        Assert.Equal($"/escalations/{escalation.Id}", card.Find("[data-testid=escalation-queue-link]").GetAttribute("href"));
        Assert.NotNull(card.Find("[data-testid=escalation-approve]"));
    }

    [Fact]
    public void ResolvedCard_HasNoQueueLink()
    {
        var escalation = Raise(EscalationKind.Agent, "The agent asks a person", null);
        escalation.Resolve(EscalationAction.Reject, "reviewer@agentconsole.local", "Not a fit", Now);

        var card = Render<EscalationCard>(p => p.Add(c => c.Escalation, escalation).Add(c => c.CanResolve, true));

        Assert.Empty(card.FindAll("[data-testid=escalation-queue-link]"));
    }
}
