using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Runs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Models;

/// <summary>
/// The offline model fills the demo's messaging tools from what the run knows: the recipient and attendees are the
/// lead's e-mail, the channel is the team the CRM named, a meeting starts on the next working morning.
/// </summary>
public sealed class OfflineArgumentsTests
{
    private static readonly JsonObject Lead = new() { ["name"] = "Dana Lee", ["email"] = "dana@acme.example", ["company"] = "Acme GmbH", ["employees"] = 42 };

    private static AIFunctionDeclaration Declaration(string name, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, name, JsonDocument.Parse(schema).RootElement.Clone());

    private static async Task<FunctionCallContent> NextCallAsync(AIFunctionDeclaration tool, params ChatMessage[] history)
    {
        // Friday 4 December 2026, 15:00 UTC: the next working morning is Monday the 7th.
        var client = new OfflineChatClient(new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)));
        List<ChatMessage> messages = [new(ChatRole.User, RunPrompt.BuildUserMessage(Lead, new JsonObject { ["lead-routing"] = "Mid-market sequence" })), .. history];
        var response = await client.GetResponseAsync(messages, new ChatOptions { Tools = [tool] });
        return Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
    }

    private static string Text(FunctionCallContent call, string name) => JsonSerializer.SerializeToNode(call.Arguments![name])!.GetValue<string>();

    [Fact]
    public async Task Bind_SendsTheEmailToTheLeadsAddress_WithAGeneratedSubjectAndBody()
    {
        var call = await NextCallAsync(Declaration("email_send",
            """{"type":"object","properties":{"to":{"type":"string"},"subject":{"type":"string"},"body":{"type":"string"},"cc":{"type":["string","null"]}},"required":["to","subject","body"]}"""));

        Assert.Equal("dana@acme.example", Text(call, "to"));
        Assert.Contains("Mid-market sequence", Text(call, "subject"), StringComparison.Ordinal);
        Assert.Contains("Dana Lee", Text(call, "body"), StringComparison.Ordinal);
        Assert.False(call.Arguments!.ContainsKey("cc"));
    }

    [Fact]
    public async Task Bind_InvitesTheLeadOnTheNextWorkingMorning_ForHalfAnHour()
    {
        var call = await NextCallAsync(Declaration("calendar_create_event",
            """{"type":"object","properties":{"title":{"type":"string"},"start":{"type":"string"},"durationMinutes":{"type":"integer"},"attendees":{"type":["array","null"],"items":{"type":"string"}}},"required":["title","start","durationMinutes"]}"""));

        Assert.Equal("2026-12-07T10:00:00+00:00", Text(call, "start"));
        Assert.Equal(30, JsonSerializer.SerializeToNode(call.Arguments!["durationMinutes"])!.GetValue<int>());
        Assert.Equal(["dana@acme.example"], JsonSerializer.SerializeToNode(call.Arguments!["attendees"])!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task Bind_NotifiesTheTeamTheCrmNamed()
    {
        var lookup = new FunctionCallContent("c1", "crm_find_company", new Dictionary<string, object?> { ["company"] = "Acme GmbH" });
        var found = new FunctionResultContent("c1", JsonSerializer.SerializeToElement(new { found = true, company = "Acme GmbH", team = "Sales EMEA" }));
        var call = await NextCallAsync(
            Declaration("chat_notify", """{"type":"object","properties":{"channel":{"type":"string"},"message":{"type":"string"}},"required":["channel","message"]}"""),
            new ChatMessage(ChatRole.Assistant, [lookup]), new ChatMessage(ChatRole.Tool, [found]));

        Assert.Equal("chat_notify", call.Name);
        Assert.Equal("Sales EMEA", Text(call, "channel"));
    }

    [Fact]
    public async Task Bind_UsesTheSchemasDefault_WhenTheRunKnowsNoValue()
    {
        var call = await NextCallAsync(Declaration("crm_set_lead_status",
            """{"type":"object","properties":{"email":{"type":"string"},"status":{"type":"string","enum":["New","Routed"],"default":"Routed"}},"required":["status"]}"""));

        Assert.Equal("Routed", Text(call, "status"));
        Assert.Equal("dana@acme.example", Text(call, "email"));
    }
}
