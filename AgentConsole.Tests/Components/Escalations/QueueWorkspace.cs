using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Escalations;

/// <summary>The demo workspace with no runs yet: each queue test class raises the escalations it needs.</summary>
public sealed class QueueWorkspaceFixture : WorkspaceFixture;

/// <summary>Escalations for the queue's page tests: real ones (a large lead routed to a person) and hand-raised ones of any kind.</summary>
internal static class QueueWorkspace
{
    public const string Reviewer = "reviewer@agentconsole.local";

    /// <summary>A lead-router run that routes a large account to a person: a Route escalation with the decision's other values as choices.</summary>
    public static async Task<Escalation> RouteAsync(RunHost host)
    {
        var runId = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, BusyWorkspaceFixture.EnterpriseLead);
        var detail = await host.ExecuteAsync(runId);
        return detail.Run.Status == RunStatus.WaitingForHuman
            ? detail.Escalations.Single(e => e.IsOpen)
            : throw new InvalidOperationException("The enterprise lead did not escalate: " + FakeProviderRuns.Timeline(detail));
    }

    /// <summary>An escalation raised by hand on a queued run: enough for what the page shows and for the engine's validation.</summary>
    public static async Task<Escalation> RaiseAsync(RunHost host, EscalationKind kind, JsonObject? proposed = null, string? whatItSaw = null,
        DateTimeOffset? at = null, EscalationSla? sla = null, RunLimit? limit = null)
    {
        var runId = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, BusyWorkspaceFixture.MidMarketLead);
        return await host.QueryAsync(async db =>
        {
            var run = await db.Runs.FindAsync(runId);
            var escalation = Escalation.Raise(run!, kind, $"{kind} test case", "- Looked up the company\n- Scored the lead", whatItSaw ?? "{}",
                at ?? DateTimeOffset.UtcNow, proposed?.ToJsonString(), limit, sla: sla ?? new EscalationSla(TimeSpan.FromHours(4), TimeSpan.FromMinutes(30), EscalationDefaultAction.Hold));
            db.Escalations.Add(escalation);
            await db.SaveChangesAsync();
            return escalation;
        });
    }

    public static JsonObject IrreversibleEmail() => new()
    {
        ["tool"] = "email_send",
        ["access"] = "write",
        ["reach"] = "external",
        ["reversible"] = false,
        ["costToUndoUsd"] = 250m,
        ["arguments"] = new JsonObject { ["to"] = "ceo@globex.example", ["subject"] = "Your trial" },
    };

    public static void SignInAsReviewer(BunitAuthorizationContext auth, string email = Reviewer)
    {
        auth.SetAuthorized(email);
        auth.SetRoles(Roles.Reviewer);
        auth.SetPolicies([.. AgentConsole.Access.Policies.RolesByPolicy.Where(p => p.Value.Contains(Roles.Reviewer)).Select(p => p.Key)]);
    }

    public static async Task<Escalation> ReloadAsync(RunHost host, Guid id) =>
        (await host.Services.GetRequiredService<EscalationResolver>().FindAsync(id))!;
}
