using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentConsole.Tests.Models;

public sealed class FakeModelEndpointTests
{
    private static IChatClient OpenAiClient(FakeModelEndpoint endpoint, bool retries = true)
    {
        var options = new OpenAIClientOptions { Endpoint = endpoint.BaseAddress };
        if (!retries)
        {
            options.RetryPolicy = new ClientRetryPolicy(0);
        }

        return new OpenAI.Chat.ChatClient("test-model", new ApiKeyCredential("k"), options)
            .AsIChatClient()
            .AsBuilder()
            .UseFunctionInvocation()
            .Build();
    }

    private static AIFunction Weather(List<string> calls) =>
        AIFunctionFactory.Create((string city) => { calls.Add(city); return $"Sunny, 21 degrees in {city}"; }, "get_weather");

    [Fact]
    public async Task OpenAiClient_CompletesAToolLoop_AgainstTheEndpoint()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("get_weather", new { city = "Berlin" }),
            FakeModelReply.Text("It is sunny in Berlin."));
        var calls = new List<string>();

        var response = await OpenAiClient(endpoint).GetResponseAsync("Weather in Berlin?", new ChatOptions { Tools = [Weather(calls)] });

        Assert.Equal("It is sunny in Berlin.", response.Text);
        Assert.Equal(["Berlin"], calls);
        Assert.Equal(2, endpoint.Requests.Count);
        var first = endpoint.ParsedRequests[0];
        Assert.Equal("test-model", first.Model);
        Assert.Equal(["get_weather"], first.ToolNames);
        Assert.Equal("Weather in Berlin?", first.LastMessage?.Content);
        var second = endpoint.ParsedRequests[1];
        Assert.Equal(2, second.CallNumber);
        var assistant = Assert.Single(second.Messages, m => m.Role == "assistant");
        var echoed = Assert.Single(assistant.ToolCalls);
        Assert.Equal(("call_1_0", "get_weather"), (echoed.Id, echoed.Name));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"city\":\"Berlin\"}"), JsonNode.Parse(echoed.Arguments)));
        var toolMessage = Assert.Single(second.Messages, m => m.Role == "tool");
        Assert.Equal("call_1_0", toolMessage.ToolCallId);
        Assert.Contains("Sunny, 21 degrees in Berlin", toolMessage.Content, StringComparison.Ordinal);
        Assert.Contains("Sunny, 21 degrees in Berlin", endpoint.Requests[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiClient_ReportsTheEndpointsUsage()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Text("Hello.").WithUsage(120, 7));

        var response = await OpenAiClient(endpoint).GetResponseAsync("Hi");

        Assert.Equal(120, response.Usage?.InputTokenCount);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
        Assert.Equal(127, response.Usage?.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task OpenAiClient_HasNoUsage_WhenTheReplyOmitsIt()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Text("Hello.").WithoutUsage());

        var response = await OpenAiClient(endpoint).GetResponseAsync("Hi");

        Assert.Equal("Hello.", response.Text);
        Assert.Null(response.Usage);
    }

    [Fact]
    public async Task OpenAiClient_ThrowsClientResultException_On401()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Status(401));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => OpenAiClient(endpoint, retries: false).GetResponseAsync("Hi"));

        Assert.Equal(401, error.Status);
        Assert.Equal(1, endpoint.CallCount);
    }

    [Fact]
    public async Task OpenAiClient_SeesRetryAfter_On429()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Status(429, retryAfterSeconds: 1));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => OpenAiClient(endpoint, retries: false).GetResponseAsync("Hi"));

        Assert.Equal(429, error.Status);
        var raw = error.GetRawResponse();
        Assert.NotNull(raw);
        Assert.True(raw.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("1", retryAfter);
    }

    [Fact]
    public async Task OpenAiClient_RetriesA500_ThenSucceeds()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Status(500, retryAfterSeconds: 0), FakeModelReply.Text("Recovered."));

        var response = await OpenAiClient(endpoint).GetResponseAsync("Hi");

        Assert.Equal("Recovered.", response.Text);
        Assert.Equal(2, endpoint.CallCount);
    }

    [Fact]
    public async Task OpenAiClient_Throws_WhenTheBodyIsNotJson()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Garbage());

        await Assert.ThrowsAnyAsync<JsonException>(() => OpenAiClient(endpoint, retries: false).GetResponseAsync("Hi"));
    }

    [Fact]
    public async Task OpenAiClient_IsCancelled_WhileTheEndpointDelays()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Text("Too late.").WithDelay(TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OpenAiClient(endpoint, retries: false).GetResponseAsync("Hi", cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task OpenAiClient_StreamsTextAndToolCalls()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("get_weather", new { city = "Oslo" }),
            FakeModelReply.Text("Sunny in Oslo, enjoy."));
        var calls = new List<string>();

        var response = await OpenAiClient(endpoint)
            .GetStreamingResponseAsync("Weather in Oslo?", new ChatOptions { Tools = [Weather(calls)] })
            .ToChatResponseAsync();

        Assert.Equal(["Oslo"], calls);
        Assert.EndsWith("Sunny in Oslo, enjoy.", response.Text, StringComparison.Ordinal);
        Assert.All(endpoint.ParsedRequests, r => Assert.True(r.Stream));
        Assert.Equal("call_1_0", endpoint.ParsedRequests[1].Messages.Single(m => m.Role == "tool").ToolCallId);
        Assert.True(endpoint.ParsedRequests[1].IncludeUsageInStream);
        Assert.NotNull(response.Usage);
    }

    [Fact]
    public async Task FunctionInvocation_StopsARunawayLoop_AtItsIterationLimit()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelEndpoint.AlwaysToolCall("get_weather", new { city = "Rome" }));
        var calls = new List<string>();
        var client = new OpenAI.Chat.ChatClient("test-model", new ApiKeyCredential("k"), new OpenAIClientOptions { Endpoint = endpoint.BaseAddress })
            .AsIChatClient()
            .AsBuilder()
            .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 3)
            .Build();

        await client.GetResponseAsync("Weather in Rome?", new ChatOptions { Tools = [Weather(calls)] });

        // Three rounds of tool calls, then one last request whose tool calls are no longer invoked.
        Assert.Equal(4, endpoint.CallCount);
        Assert.Equal(3, calls.Count);
    }
}
