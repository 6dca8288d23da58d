using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using Microsoft.Extensions.AI;

namespace AgentConsole.Tests.Models;

public sealed class OfflineChatClientTests
{
    private const string JobDescription = "You route inbound leads. You must never promise pricing.";

    /// <summary>Tools shaped like the demo lead router's, recording every call.</summary>
    private sealed class DemoTools
    {
        public List<(string Name, Dictionary<string, object?> Arguments)> Calls { get; } = [];
        public bool CrmFails { get; init; }

        public IList<AITool> All =>
        [
            AIFunctionFactory.Create(FindCompany, "crm_find_company", "Finds a company in the CRM."),
            AIFunctionFactory.Create(UpdateLead, "crm_update_lead", "Updates a lead in the CRM."),
            AIFunctionFactory.Create(SetLeadStatus, "crm_set_lead_status", "Sets a lead's status in the CRM."),
            AIFunctionFactory.Create(Escalate, BuiltInTools.Escalate, "Hands the run to a person."),
        ];

        public IEnumerable<string> Names => Calls.Select(c => c.Name);

        private object FindCompany(string company, string email)
        {
            Calls.Add(("crm_find_company", new() { ["company"] = company, ["email"] = email }));
            if (CrmFails)
            {
                throw new InvalidOperationException("CRM unavailable");
            }

            return new { accountId = "acc-17", owner = "Team Berlin" };
        }

        private object UpdateLead(string email, string route, string owner)
        {
            Calls.Add(("crm_update_lead", new() { ["email"] = email, ["route"] = route, ["owner"] = owner }));
            return new { leadId = "LEAD-00007" };
        }

        private string SetLeadStatus(string email, string reason, string status = "Routed")
        {
            Calls.Add(("crm_set_lead_status", new() { ["email"] = email, ["status"] = status, ["reason"] = reason }));
            return "set";
        }

        private string Escalate(string reason)
        {
            Calls.Add((BuiltInTools.Escalate, new() { ["reason"] = reason }));
            return "escalation ESC-1 raised";
        }
    }

    private static JsonObject Lead(int employees = 42) => new()
    {
        ["name"] = "Dana Lee",
        ["email"] = "dana@acme.example",
        ["company"] = "Acme GmbH",
        ["employees"] = employees,
        ["industry"] = "Software",
    };

    private static JsonObject Routed(string route) => new() { ["lead-routing"] = route };

    private static IChatClient Pipeline() => new ChatClientBuilder(new OfflineChatClient()).UseFunctionInvocation().Build();

    private static List<ChatMessage> Conversation(JsonObject input, JsonObject facts, string? guidance = null) =>
    [
        new(ChatRole.System, JobDescription),
        new(ChatRole.User, RunPrompt.BuildUserMessage(input, facts, guidance)),
    ];

    [Fact]
    public async Task Run_CallsCommonPathInOrder_WithArgumentsFromInputFactsAndEarlierResults()
    {
        var tools = new DemoTools();

        var response = await Pipeline().GetResponseAsync(Conversation(Lead(), Routed("Mid-market sequence")), new ChatOptions { Tools = tools.All });

        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], tools.Names);
        Assert.Equal("Acme GmbH", tools.Calls[0].Arguments["company"]);
        Assert.Equal("dana@acme.example", tools.Calls[0].Arguments["email"]);
        Assert.Equal("dana@acme.example", tools.Calls[1].Arguments["email"]);
        Assert.Equal("Mid-market sequence", tools.Calls[1].Arguments["route"]);
        Assert.Equal("Team Berlin", tools.Calls[1].Arguments["owner"]);
        Assert.Equal("dana@acme.example", tools.Calls[2].Arguments["email"]);
        Assert.Equal("Routed", tools.Calls[2].Arguments["status"]);
        Assert.Equal("Dana Lee (Acme GmbH, 42 employees) was routed to the Mid-market sequence.", tools.Calls[2].Arguments["reason"]);
        Assert.Equal(
            "Routed Dana Lee (Acme GmbH, 42 employees) to the Mid-market sequence: crm_find_company, crm_update_lead, crm_set_lead_status done.",
            response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var callIds = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.CallId);
        Assert.Equal(["offline-call-1", "offline-call-2", "offline-call-3"], callIds);
    }

    [Fact]
    public async Task Run_EscalatesFirstAndStops_WhenADecisionSaysHumanReview()
    {
        var tools = new DemoTools();

        var response = await Pipeline().GetResponseAsync(Conversation(Lead(1200), Routed("Human review")), new ChatOptions { Tools = tools.All });

        var escalation = Assert.Single(tools.Calls);
        Assert.Equal(BuiltInTools.Escalate, escalation.Name);
        Assert.Equal(
            "Decision lead-routing says \"Human review\" for Dana Lee (Acme GmbH, 1200 employees), so a person must decide.",
            escalation.Arguments["reason"]);
        Assert.StartsWith("Escalated to a reviewer: Decision lead-routing says", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Run_ContinuesTheCommonPath_WhenReviewerGuidanceFollowsTheEscalation()
    {
        var tools = new DemoTools();
        var options = new ChatOptions { Tools = tools.All };
        var messages = Conversation(Lead(1200), Routed("Human review"));
        var first = await Pipeline().GetResponseAsync(messages, options);
        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.User, RunPrompt.BuildUserMessage(Lead(1200), Routed("Human review"), "Treat them as mid-market.")));

        var resumed = await Pipeline().GetResponseAsync(messages, options);

        Assert.Equal([BuiltInTools.Escalate, "crm_find_company", "crm_update_lead", "crm_set_lead_status"], tools.Names);
        Assert.StartsWith("Following the reviewer's guidance: Routed Dana Lee", resumed.Text, StringComparison.Ordinal);
        Assert.Equal("offline-call-2", resumed.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().First().CallId);
    }

    [Fact]
    public async Task Run_Escalates_WhenAToolFails()
    {
        var tools = new DemoTools { CrmFails = true };

        var response = await Pipeline().GetResponseAsync(Conversation(Lead(), Routed("Mid-market sequence")), new ChatOptions { Tools = tools.All });

        Assert.Equal(["crm_find_company", BuiltInTools.Escalate], tools.Names);
        Assert.StartsWith("The tool crm_find_company failed (", (string?)tools.Calls[1].Arguments["reason"], StringComparison.Ordinal);
        Assert.StartsWith("Escalated to a reviewer: The tool crm_find_company failed", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StopsWithoutEscalating_WhenAToolFailsAndTheAgentHasNoEscalateTool()
    {
        var tools = new DemoTools { CrmFails = true };

        var response = await Pipeline().GetResponseAsync(
            Conversation(Lead(), Routed("Mid-market sequence")),
            new ChatOptions { Tools = tools.All.Where(t => t.Name != BuiltInTools.Escalate).ToList() });

        Assert.Equal(["crm_find_company"], tools.Names);
        Assert.StartsWith("Stopped: crm_find_company failed", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WaitsForApproval_ThenFinishes_WhenAToolNeedsApproval()
    {
        var tools = new DemoTools();
        var gated = tools.All.Select(t => t.Name == "crm_update_lead" ? new ApprovalRequiredAIFunction((AIFunction)t) : t).ToList();
        var options = new ChatOptions { Tools = gated };
        var messages = Conversation(Lead(), Routed("SMB sequence"));

        var held = await Pipeline().GetResponseAsync(messages, options);

        Assert.Equal(["crm_find_company"], tools.Names);
        var request = Assert.Single(held.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        messages.AddRange(held.Messages);
        messages.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]));

        var finished = await Pipeline().GetResponseAsync(messages, options);

        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], tools.Names);
        Assert.Equal("Routed Dana Lee (Acme GmbH, 42 employees) to the SMB sequence: crm_find_company, crm_update_lead, crm_set_lead_status done.", finished.Text);
    }

    [Fact]
    public async Task Run_Streaming_CallsTheSameToolsAsNonStreaming()
    {
        var tools = new DemoTools();

        var response = await Pipeline()
            .GetStreamingResponseAsync(Conversation(Lead(), Routed("Mid-market sequence")), new ChatOptions { Tools = tools.All })
            .ToChatResponseAsync();

        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], tools.Names);
        Assert.EndsWith("crm_set_lead_status done.", response.Text, StringComparison.Ordinal);
        Assert.Equal(true, response.AdditionalProperties?[OfflineChatClient.UsageEstimatedKey]);
    }

    [Fact]
    public async Task Run_IsDeterministic_ForIdenticalConversations()
    {
        async Task<(string Messages, UsageDetails? Usage)> RunOnce()
        {
            var response = await Pipeline().GetResponseAsync(Conversation(Lead(), Routed("Mid-market sequence")), new ChatOptions { Tools = new DemoTools().All });
            return (JsonSerializer.Serialize(response.Messages, AIJsonUtilities.DefaultOptions), response.Usage);
        }

        var first = await RunOnce();
        var second = await RunOnce();

        Assert.Equal(first.Messages, second.Messages);
        Assert.NotNull(first.Usage);
        Assert.Equal(first.Usage.InputTokenCount, second.Usage?.InputTokenCount);
        Assert.Equal(first.Usage.OutputTokenCount, second.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponse_ReportsEstimatedUsage_FromCharacters()
    {
        var messages = Conversation(Lead(), Routed("Mid-market sequence"));
        var tools = new DemoTools().All;

        var response = await new OfflineChatClient().GetResponseAsync(messages, new ChatOptions { Tools = tools });

        var inputChars = messages.Sum(m => m.Text.Length)
                         + tools.Cast<AIFunctionDeclaration>().Sum(t => t.Name.Length + (t.Description?.Length ?? 0) + t.JsonSchema.GetRawText().Length);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.Single().Contents));
        var outputChars = call.Name.Length + JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions).Length;
        Assert.Equal((inputChars + 3) / 4, response.Usage?.InputTokenCount);
        Assert.Equal((outputChars + 3) / 4, response.Usage?.OutputTokenCount);
        Assert.Equal(response.Usage?.InputTokenCount + response.Usage?.OutputTokenCount, response.Usage?.TotalTokenCount);
        Assert.Equal(true, response.AdditionalProperties?[OfflineChatClient.UsageEstimatedKey]);
        Assert.Equal("offline", response.ModelId);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task GetResponse_FillsTheEscalationsOtherParameters_WithWhatItSawAndDid()
    {
        var escalate = AIFunctionFactory.Create((string reason, string summary) => "ok", BuiltInTools.Escalate);
        var crm = AIFunctionFactory.Create((string company) => "ok", "crm_find_company");
        List<ChatMessage> messages =
        [
            new(ChatRole.User, RunPrompt.BuildUserMessage(Lead(), new JsonObject { ["credit-check"] = new JsonObject { ["outcome"] = "Manual review", ["score"] = 410 } })),
        ];

        var response = await new OfflineChatClient().GetResponseAsync(messages, new ChatOptions { Tools = [crm, escalate] });

        var call = response.Messages.Single().Contents.OfType<FunctionCallContent>().Single();
        Assert.Equal(BuiltInTools.Escalate, call.Name);
        Assert.Equal(
            "Decision credit-check (output outcome) says \"Manual review\" for Dana Lee (Acme GmbH, 42 employees), so a person must decide.",
            ((JsonElement?)call.Arguments!["reason"])?.GetString());
        Assert.Equal(
            "Dana Lee (Acme GmbH, 42 employees): credit-check: outcome Manual review, score 410. Done so far: nothing.",
            ((JsonElement?)call.Arguments["summary"])?.GetString());
    }

    [Fact]
    public async Task Run_Escalates_WhenAToolReturnsAnErrorObject()
    {
        var calls = new List<string>();
        var crm = AIFunctionFactory.Create((string company) => { calls.Add("crm_find_company"); return new { error = "quota exceeded" }; }, "crm_find_company");
        var notify = AIFunctionFactory.Create((string message) => { calls.Add("notify"); return "sent"; }, "notify");
        var escalate = AIFunctionFactory.Create((string reason) => { calls.Add(reason); return "raised"; }, BuiltInTools.Escalate);

        await Pipeline().GetResponseAsync(Conversation(Lead(), Routed("SMB sequence")), new ChatOptions { Tools = [crm, notify, escalate] });

        Assert.Equal(["crm_find_company", "The tool crm_find_company failed (quota exceeded), so a person must decide how to continue with Dana Lee (Acme GmbH, 42 employees)."], calls);
    }

    [Fact]
    public async Task GetResponse_Stops_WhenAnApproverRejectedTheLastCall()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.User, RunPrompt.BuildUserMessage(Lead(), Routed("SMB sequence"))),
            new(ChatRole.Assistant, [new FunctionCallContent("offline-call-1", "crm_find_company", new Dictionary<string, object?> { ["company"] = "Acme GmbH" })]),
            new(ChatRole.Tool, [new FunctionResultContent("offline-call-1", "Tool call invocation was rejected by the approver and must not be retried.")]),
        ];

        var response = await new OfflineChatClient().GetResponseAsync(messages, new ChatOptions { Tools = new DemoTools().All });

        Assert.Equal("Stopped: the call to crm_find_company was rejected, so the run does not go on without a person.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task GetResponse_SaysItFoundNoTriggerInput_WhenNoMessageCarriesOne()
    {
        var response = await new OfflineChatClient().GetResponseAsync(
            [new(ChatRole.System, JobDescription), new(ChatRole.User, "Please route the lead from yesterday.")],
            new ChatOptions { Tools = new DemoTools().All });

        Assert.Contains("no trigger input", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is FunctionCallContent);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount >= 1);
    }

    [Fact]
    public async Task GetResponse_ConvertsArgumentsToSchemaTypes_AndReportsMissingRequiredOnes()
    {
        var tool = AIFunctionFactory.Create(
            (int employees, bool vip, double score, string accountId, string? comment = null) => "ok",
            "score_lead");
        var input = new JsonObject { ["Employees"] = "42", ["is_vip"] = true, ["score"] = "7.5" };

        var response = await new OfflineChatClient().GetResponseAsync(
            [new(ChatRole.User, RunPrompt.BuildUserMessage(input, new JsonObject { ["v-i-p"] = "yes" }))],
            new ChatOptions { Tools = [tool] });

        var call = response.Messages.Single().Contents.OfType<FunctionCallContent>().Single();
        var arguments = call.Arguments!.ToDictionary(a => a.Key, a => ((JsonElement?)a.Value)?.GetRawText());
        Assert.Equal("42", arguments["employees"]);
        Assert.Equal("true", arguments["vip"]);
        Assert.Equal("7.5", arguments["score"]);
        Assert.Null(arguments["accountId"]);
        Assert.Equal("\"a company with 42 employees: v-i-p: yes.\"", arguments["comment"]);
        Assert.Contains("required parameter accountId of score_lead", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_OmitsOptionalParameters_WithoutAValue()
    {
        var tool = AIFunctionFactory.Create((string email, string? campaign = null) => "ok", "tag_lead");

        var response = await new OfflineChatClient().GetResponseAsync(
            [new(ChatRole.User, RunPrompt.BuildUserMessage(Lead(), Routed("SMB sequence")))],
            new ChatOptions { Tools = [tool] });

        var call = response.Messages.Single().Contents.OfType<FunctionCallContent>().Single();
        Assert.Equal(["email"], call.Arguments!.Keys);
        Assert.Equal("", response.Text);
    }

    [Fact]
    public async Task GetResponse_NeverCallsEvaluateDecision_AndSummarises_WhenNoCommonPathToolIsLeft()
    {
        var evaluate = AIFunctionFactory.Create((string decision) => "{}", BuiltInTools.EvaluateDecision);

        var response = await new OfflineChatClient().GetResponseAsync(
            [new(ChatRole.User, RunPrompt.BuildUserMessage(Lead(), new JsonObject { ["priority"] = 2 }))],
            new ChatOptions { Tools = [evaluate] });

        Assert.Equal("Finished for Dana Lee (Acme GmbH, 42 employees) (priority: 2); there were no tools to call.", response.Text);
    }

    [Fact]
    public async Task GetResponse_DegradesToText_OnOddContentAndToolsWithoutSchema()
    {
        var bare = new BareDeclaration("ping");
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "application/octet-stream"), new TextContent(RunPrompt.BuildUserMessage(Lead(), Routed("SMB sequence")))]),
            new(ChatRole.Assistant, [new FunctionCallContent("x", "ping", null), new UsageContent(new UsageDetails())]),
            new(ChatRole.Tool, [new FunctionResultContent("x", new object())]),
            new(ChatRole.Tool, [new FunctionResultContent("unknown-id", "orphan")]),
        };

        var response = await new OfflineChatClient().GetResponseAsync(messages, new ChatOptions { Tools = [bare] });

        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Contains("ping done", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponse_YieldsTheSameAnswer_AsGetResponse()
    {
        var messages = Conversation(Lead(), Routed("Mid-market sequence"));
        var options = new ChatOptions { Tools = new DemoTools().All };
        var client = new OfflineChatClient();

        var expected = await client.GetResponseAsync(messages, options);
        var streamed = await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync();

        Assert.Equal(
            JsonSerializer.Serialize(expected.Messages, AIJsonUtilities.DefaultOptions),
            JsonSerializer.Serialize(streamed.Messages, AIJsonUtilities.DefaultOptions));
        Assert.Equal(expected.Usage?.InputTokenCount, streamed.Usage?.InputTokenCount);
        Assert.Equal(ChatFinishReason.ToolCalls, streamed.FinishReason);
    }

    [Fact]
    public async Task GetResponse_Throws_WhenCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new OfflineChatClient().GetResponseAsync(Conversation(Lead(), Routed("SMB sequence")), null, cancelled.Token));
    }

    [Fact]
    public void GetService_DescribesTheOfflineProvider()
    {
        using var client = new OfflineChatClient();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal("offline", metadata?.ProviderName);
        Assert.Equal("offline", metadata?.DefaultModelId);
        Assert.Same(client, client.GetService<OfflineChatClient>());
    }

    private sealed class BareDeclaration(string name) : AIFunctionDeclaration
    {
        public override string Name => name;
    }
}
