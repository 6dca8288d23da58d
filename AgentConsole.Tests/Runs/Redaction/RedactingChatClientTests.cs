using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Runs.Redaction;
using Microsoft.Extensions.AI;

namespace AgentConsole.Tests.Runs.Redaction;

public sealed class RedactingChatClientTests
{
    private const string Ssn = "123-45-6789";
    private const string Email = "jane@example.com";
    private const string Card = "4111 1111 1111 1111";
    private const string Iban = "DE89 3704 0044 0532 0130 00";
    private const string ApiKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    private static readonly string[] RawValues = [Ssn, Email, Card, "4111111111111111", Iban, ApiKey, "078-05-1120", "s3cr3t-pw"];

    private static readonly Redactor Default = new(new RedactionOptions());

    public sealed record CustomerRecord(string Name, string Email, string Iban, long CardNumber);

    private static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, $"You help the billing team. Escalation contact: {Email}.") { AuthorName = "system-prompt" },
        new(ChatRole.User, [new TextContent($"Refund card {Card} for SSN {Ssn}, key {ApiKey}.") { RawRepresentation = "raw user payload" }])
        {
            MessageId = "m-1",
            AdditionalProperties = new() { ["channel"] = "webform" },
        },
        new(ChatRole.Assistant,
        [
            new TextReasoningContent($"The customer is {Email}."),
            new FunctionCallContent("call-1", "lookup_customer", new Dictionary<string, object?>
            {
                ["email"] = Email,
                ["filter"] = JsonSerializer.SerializeToElement(new { ssn = Ssn, limit = 5 }),
                ["password"] = "s3cr3t-pw",
            }),
        ]),
        new(ChatRole.Tool,
        [
            new FunctionResultContent("call-1", new CustomerRecord("Jane", Email, Iban, 4111111111111111)),
            new FunctionResultContent("call-2", JsonNode.Parse($$"""{"ssn":"078-05-1120","note":"ok"}""")),
            new FunctionResultContent("call-3", $"Sent to {Email}"),
            new FunctionResultContent("call-4", JsonSerializer.SerializeToElement(new[] { Card })),
        ]),
    ];

    private static ChatOptions OptionsWith(RedactionVault vault) => new()
    {
        Instructions = $"Never reveal SSN {Ssn}.",
        AdditionalProperties = new() { [RedactingChatClient.VaultKey] = vault, ["tenant"] = "acme" },
    };

    private static string Sent(RecordingChatClient inner, int call = 0) =>
        JsonSerializer.Serialize(inner.Calls[call].Messages, AIJsonUtilities.DefaultOptions) + inner.Calls[call].Options?.Instructions;

    [Fact]
    public async Task GetResponse_SendsNoRawValue_InAnyMessagePartOrTheInstructions()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);

        await client.GetResponseAsync(Conversation(), OptionsWith(new RedactionVault(Default)));

        var sent = Sent(inner);
        foreach (var raw in RawValues)
        {
            Assert.DoesNotContain(raw, sent, StringComparison.Ordinal);
        }

        Assert.Contains("<SSN_1>", inner.Calls[0].Options!.Instructions, StringComparison.Ordinal);
        Assert.Contains("<CARD_1>", sent, StringComparison.Ordinal);
        Assert.Contains("<IBAN_1>", sent, StringComparison.Ordinal);
        Assert.Contains("<SECRET_", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_KeepsTheVaultOutOfTheOptionsTheInnerClientSees()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);

        await client.GetResponseAsync(Conversation(), OptionsWith(new RedactionVault(Default)));

        var seen = inner.Calls[0].Options!.AdditionalProperties!;
        Assert.False(seen.ContainsKey(RedactingChatClient.VaultKey));
        Assert.Equal("acme", seen["tenant"]);
    }

    [Fact]
    public async Task GetResponse_LeavesTheCallersMessagesAndOptionsUnchanged()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);
        var messages = Conversation();
        var contents = messages.SelectMany(m => m.Contents).ToList();
        var before = JsonSerializer.Serialize(messages, AIJsonUtilities.DefaultOptions);
        var vault = new RedactionVault(Default);
        var options = OptionsWith(vault);

        await client.GetResponseAsync(messages, options);

        Assert.Equal(before, JsonSerializer.Serialize(messages, AIJsonUtilities.DefaultOptions));
        Assert.Equal(contents, messages.SelectMany(m => m.Contents));
        Assert.Equal("raw user payload", messages[1].Contents[0].RawRepresentation);
        Assert.Equal($"Never reveal SSN {Ssn}.", options.Instructions);
        Assert.Same(vault, options.AdditionalProperties![RedactingChatClient.VaultKey]);
    }

    [Fact]
    public async Task GetResponse_PreservesMessageMetadata_ButDropsRawRepresentation()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);

        await client.GetResponseAsync(Conversation(), OptionsWith(new RedactionVault(Default)));

        var sent = inner.Calls[0].Messages;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], sent.Select(m => m.Role));
        Assert.Equal("system-prompt", sent[0].AuthorName);
        Assert.Equal("m-1", sent[1].MessageId);
        Assert.Equal("webform", sent[1].AdditionalProperties!["channel"]);
        Assert.Null(sent[1].Contents[0].RawRepresentation);
        var call = Assert.IsType<FunctionCallContent>(sent[2].Contents[1]);
        Assert.Equal(("call-1", "lookup_customer"), (call.CallId, call.Name));
        Assert.Equal(["call-1", "call-2", "call-3", "call-4"], sent[3].Contents.OfType<FunctionResultContent>().Select(r => r.CallId));
    }

    [Fact]
    public async Task GetResponse_RestoresRealValues_InTextAndFunctionCallArguments()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);

        var response = await client.GetResponseAsync(Conversation(), OptionsWith(new RedactionVault(Default)));

        Assert.Equal($"Refunding the card of {Email} (SSN {Ssn}); <PHONE_9> is unknown.", response.Text);
        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal(Email, call.Arguments!["to"]);
        var details = Assert.IsType<JsonElement>(call.Arguments["details"]);
        Assert.Equal(Card, details.GetProperty("card").GetString());
        Assert.Equal("<PHONE_9>", details.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task GetResponse_UsesTheVaultFromOptions_SoPlaceholdersStayTheSameAcrossCalls()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);
        var vault = new RedactionVault(Default);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"First {Email}")], OptionsWith(vault));
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"Card {Card}, again {Email}")], OptionsWith(vault));

        Assert.Equal("First <EMAIL_1>", inner.Calls[0].Messages[0].Text);
        Assert.Equal("Card <CARD_1>, again <EMAIL_1>", inner.Calls[1].Messages[0].Text);
        Assert.Equal(Email, vault.Restore("<EMAIL_1>"));
        Assert.Equal(3, vault.Count);
    }

    [Fact]
    public async Task GetResponse_StillRedacts_WithoutAVaultInOptions()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"SSN {Ssn}")]);

        Assert.Equal("SSN <SSN_1>", inner.Calls[0].Messages[0].Text);
        Assert.Contains(Ssn, response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_Throws_WhenTheVaultKeyHoldsSomethingElse()
    {
        using var client = new RedactingChatClient(new RecordingChatClient(), Default);
        var options = new ChatOptions { AdditionalProperties = new() { [RedactingChatClient.VaultKey] = "not a vault" } };

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options));
    }

    [Fact]
    public async Task GetStreamingResponse_YieldsTheRestoredResponse()
    {
        var inner = new RecordingChatClient();
        using var client = new RedactingChatClient(inner, Default);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation(), OptionsWith(new RedactionVault(Default))))
        {
            updates.Add(update);
        }

        Assert.Contains(Ssn, updates.ToChatResponse().Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Ssn, Sent(inner), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRedaction_InsideFunctionInvocation_GivesToolsRealValues_AndRedactsTheirResults()
    {
        var inner = new ScriptedToolCallClient();
        string? toolSaw = null;
        var tool = AIFunctionFactory.Create((string email) =>
        {
            toolSaw = email;
            return $"{email} has SSN {Ssn} and card {Card}";
        }, "lookup_customer");
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().UseRedaction(Default).Build();
        var vault = new RedactionVault(Default);

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, $"Look up {Email}")],
            new ChatOptions { Tools = [tool], AdditionalProperties = new() { [RedactingChatClient.VaultKey] = vault } });

        Assert.Equal(Email, toolSaw);
        Assert.Equal(2, inner.Calls.Count);
        var second = JsonSerializer.Serialize(inner.Calls[1], AIJsonUtilities.DefaultOptions);
        foreach (var raw in RawValues)
        {
            Assert.DoesNotContain(raw, second, StringComparison.Ordinal);
        }

        Assert.Contains("<SSN_1>", second, StringComparison.Ordinal);
        Assert.Equal($"Done: {Email} has SSN {Ssn}.", response.Text);
    }

    /// <summary>Records what it is sent and answers with placeholders, as a model would.</summary>
    private sealed class RecordingChatClient : IChatClient
    {
        public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add(([.. messages], options));
            var reply = new ChatMessage(ChatRole.Assistant,
            [
                new TextContent("Refunding the card of <EMAIL_1> (SSN <SSN_1>); <PHONE_9> is unknown."),
                new FunctionCallContent("call-9", "send_email", new Dictionary<string, object?>
                {
                    ["to"] = "<EMAIL_1>",
                    ["details"] = JsonSerializer.SerializeToElement(new { card = "<CARD_1>", phone = "<PHONE_9>" }),
                }),
            ]);
            return Task.FromResult(new ChatResponse(reply));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>First asks for lookup_customer with the e-mail placeholder it was shown, then answers from the result.</summary>
    private sealed class ScriptedToolCallClient : IChatClient
    {
        public List<List<ChatMessage>> Calls { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            List<ChatMessage> list = [.. messages];
            Calls.Add(list);
            var reply = Calls.Count == 1
                ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup_customer", new Dictionary<string, object?> { ["email"] = "<EMAIL_1>" })])
                : new ChatMessage(ChatRole.Assistant, "Done: <EMAIL_1> has SSN <SSN_1>.");
            return Task.FromResult(new ChatResponse(reply));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
