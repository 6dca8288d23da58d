using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Models;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// Provider failures over real HTTP end visibly: permanent ones fail the run with a reason an operator can act on,
/// transient ones (after the client's retries; the test provider allows none) escalate as model errors. Nothing is left Running.
/// </summary>
public sealed class OpenAiCompatibleFailureTests : IDisposable
{
    private const string Reviewer = "reviewer@agentconsole.local";

    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private async Task<RunDetail> RunOnceAsync(FakeModelEndpoint endpoint, params (string Key, string? Value)[] settings)
    {
        var folder = _folders.New();
        await using var host = await StartHostAsync(endpoint, folder, settings: settings);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        return await host.ExecuteAsync(id);
    }

    [Fact]
    public async Task Run_Fails_WhenTheProviderRefusesTheCredentials()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Status(401));

        var detail = await RunOnceAsync(endpoint);

        Assert.True(detail.Run.Status == RunStatus.Failed, Timeline(detail));
        Assert.Contains("credentials", detail.Run.Reason, StringComparison.Ordinal);
        Assert.Contains("401", detail.Run.Reason, StringComparison.Ordinal);
        Assert.Contains(detail.Steps, s => s.Kind == RunStepKind.Error && s.IsError && s.Title.Contains("credentials", StringComparison.Ordinal));
        Assert.Empty(detail.Escalations);
        Assert.Equal(1, endpoint.CallCount);
        Assert.Null(detail.Run.LeaseOwner);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Run_EscalatesAsModelError_WhenTheProviderKeepsFailingTransiently(int status)
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Status(status, retryAfterSeconds: 0));

        var detail = await RunOnceAsync(endpoint);

        Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, Timeline(detail));
        var escalation = Assert.Single(detail.Escalations);
        Assert.Equal((EscalationKind.ModelError, EscalationStatus.Open), (escalation.Kind, escalation.Status));
        Assert.Contains(status == 429 ? "429" : $"HTTP {status}", escalation.Reason, StringComparison.Ordinal);
        Assert.Contains(detail.Steps, s => s.Kind == RunStepKind.Error && s.IsError);
        Assert.Equal(1, endpoint.CallCount);
        Assert.Null(detail.Run.LeaseOwner);
    }

    [Fact]
    public async Task Run_Fails_WhenTheProviderAnswersGarbage()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Garbage());

        var detail = await RunOnceAsync(endpoint);

        Assert.True(detail.Run.Status == RunStatus.Failed, Timeline(detail));
        Assert.Contains("could not be read", detail.Run.Reason, StringComparison.Ordinal);
        Assert.Contains(detail.Steps, s => s.Kind == RunStepKind.Error && s.IsError);
        Assert.Empty(detail.Escalations);
    }

    [Fact]
    public async Task Run_EscalatesAsModelError_WhenTheProviderIsSlowerThanItsTimeout()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Text("Too late.").WithDelay(TimeSpan.FromSeconds(3)));

        var detail = await RunOnceAsync(endpoint, [.. RunHost.Provider(endpoint.BaseAddress, timeoutSeconds: 1)]);

        Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, Timeline(detail));
        var escalation = Assert.Single(detail.Escalations);
        Assert.Equal(EscalationKind.ModelError, escalation.Kind);
        Assert.Contains("timed out", escalation.Reason, StringComparison.Ordinal);
        Assert.Equal(0, detail.Run.ModelCalls);
        Assert.Null(detail.Run.Output);
    }

    [Fact]
    public async Task ApprovingAModelError_RetriesTheCall_AndTheRunSucceedsOnceTheEndpointRecovered()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("crm_find_company", new { company = "Acme GmbH" }),
            FakeModelReply.Status(503),
            FakeModelReply.ToolCall("crm_update_lead", new { email = "<EMAIL_1>", route = "Mid-market sequence" }),
            FakeModelReply.ToolCall("crm_set_lead_status", new { email = "<EMAIL_1>", status = "Routed", reason = "New mid-market lead from Acme GmbH." }),
            FakeModelReply.Text("Enrolled the lead and told Sales EMEA."));
        var folder = _folders.New();
        await using var host = await StartHostAsync(endpoint, folder);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var failed = await host.ExecuteAsync(id);
        Assert.True(failed.Run.Status == RunStatus.WaitingForHuman, Timeline(failed));
        var escalation = Assert.Single(failed.Escalations);
        Assert.Equal(EscalationKind.ModelError, escalation.Kind);

        var resolved = await host.Escalations.ResolveAsync(escalation.Id, EscalationAction.Approve, "Provider is back.", Reviewer);
        var detail = await host.ExecuteAsync(id);

        Assert.Equal(RunCommandOutcome.Done, resolved.Outcome);
        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], ToolSteps(detail).Select(t => t.ToolName));
        Assert.Equal(5, endpoint.CallCount);
        // The failed call is asked again with the journaled crm_find_company result, the same as the request that failed.
        Assert.Equal(endpoint.ParsedRequests[1].Messages.Count, endpoint.ParsedRequests[2].Messages.Count);
        Assert.Equal("call_1_0", Assert.Single(endpoint.ParsedRequests[2].Messages, m => m.Role == "tool").ToolCallId);
        Assert.Equal(4, detail.Run.ModelCalls);
    }

    [Fact]
    public void RedactionTimeout_IsReportedAsRedaction_NotAsAModelTimeout()
    {
        // RegexMatchTimeoutException is a TimeoutException; on a starved machine redaction can give up before any request.
        var failure = ModelFailure.Classify(new System.Text.RegularExpressions.RegexMatchTimeoutException("x", "y", TimeSpan.FromMilliseconds(100)));

        Assert.NotNull(failure);
        Assert.True(failure.Transient);
        Assert.StartsWith("Redaction could not finish", failure.Message, StringComparison.Ordinal);
        Assert.Equal("The model call timed out.", ModelFailure.Classify(new TimeoutException())!.Message);
    }

    [Fact]
    public async Task Run_MarksUsageEstimated_WhenTheProviderOmitsUsage()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("crm_find_company", new { company = "Acme GmbH" }).WithUsage(900, 15),
            FakeModelReply.Text("Looked the company up; nothing else to do.").WithoutUsage());

        var detail = await RunOnceAsync(endpoint);

        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        var calls = detail.Steps.Where(s => s.Kind == RunStepKind.ModelCall).ToList();
        Assert.Equal([false, true], calls.Select(c => c.UsageEstimated));
        Assert.Equal(900, calls[0].InputTokens);
        Assert.True(calls[1].InputTokens > 0 && calls[1].OutputTokens > 0);
        Assert.True(calls[1].CostUsd > 0);
        Assert.True(detail.Run.UsageEstimated);
        Assert.True(JsonNode.Parse(calls[1].DetailJson!)!["usageEstimated"]!.GetValue<bool>());
    }
}
