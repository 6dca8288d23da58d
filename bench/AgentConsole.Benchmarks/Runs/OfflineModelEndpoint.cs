using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Benchmarks.Runs;

/// <summary>
/// A local OpenAI-compatible chat completions endpoint over real HTTP that answers every call after a fixed delay.
/// What it answers is decided by the Offline model on the conversation it was sent, so runs against it take exactly
/// the demo agent's path (the same decisions, the same three tool calls and the same four model calls) while every
/// model call goes through the real OpenAI client, its serialisation and a socket — a stand-in for a slow provider.
/// </summary>
internal sealed class OfflineModelEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeSpan _delay;
    private readonly OfflineChatClient _model = new();
    private int _calls;
    private int _inFlight;
    private int _peakInFlight;

    private OfflineModelEndpoint(WebApplication app, TimeSpan delay) => (_app, _delay) = (app, delay);

    /// <summary>The OpenAI base address, e.g. http://127.0.0.1:41234/v1/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Most model calls the endpoint held at the same time.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    public static async Task<OfflineModelEndpoint> StartAsync(TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new OfflineModelEndpoint(app, delay);
        app.MapPost("/v1/chat/completions", endpoint.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.BaseAddress = new Uri(address.TrimEnd('/') + "/v1/");
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            if (Interlocked.CompareExchange(ref _peakInFlight, now, peak) == peak)
            {
                break;
            }
        }

        try
        {
            var aborted = context.RequestAborted;
            var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: aborted) as JsonObject;
            if (request is null || request["stream"]?.GetValueKind() == JsonValueKind.True)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"error":{"message":"Only non-streaming JSON requests are answered.","type":"invalid_request_error"}}""", aborted);
                return;
            }

            var tools = (request["tools"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t["function"]).OfType<JsonObject>()
                .Select(f => (AITool)AIFunctionFactory.CreateDeclaration(
                    (string?)f["name"] ?? "", (string?)f["description"], JsonSerializer.SerializeToElement(f["parameters"] ?? new JsonObject())))
                .ToList();
            var messages = (request["messages"] as JsonArray ?? []).OfType<JsonObject>().Select(ToChatMessage).ToList();
            var answer = await _model.GetResponseAsync(messages, new ChatOptions { Tools = tools }, aborted);
            await Task.Delay(_delay, aborted);

            var reply = answer.Messages[^1];
            var calls = new JsonArray();
            foreach (var call in reply.Contents.OfType<FunctionCallContent>())
            {
                calls.Add(new JsonObject
                {
                    ["id"] = $"call_{number}_{calls.Count}",
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = call.Name,
                        ["arguments"] = JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions),
                    },
                });
            }

            var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text is { Length: > 0 } text ? text : null };
            if (calls.Count > 0)
            {
                message["tool_calls"] = calls;
            }

            var usage = answer.Usage ?? new UsageDetails();
            var completion = new JsonObject
            {
                ["id"] = $"chatcmpl-bench-{number}",
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = (string?)request["model"] ?? "bench",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = message,
                    ["finish_reason"] = calls.Count > 0 ? "tool_calls" : "stop",
                }),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = usage.InputTokenCount ?? 0,
                    ["completion_tokens"] = usage.OutputTokenCount ?? 0,
                    ["total_tokens"] = (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0),
                },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(completion.ToJsonString(), Encoding.UTF8, aborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up; nobody reads an answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static ChatMessage ToChatMessage(JsonObject m)
    {
        var role = (string?)m["role"] ?? "user";
        var contents = new List<AIContent>();
        if (role == "tool")
        {
            contents.Add(new FunctionResultContent((string?)m["tool_call_id"] ?? "", ParseResult(Text(m["content"]))));
            return new ChatMessage(ChatRole.Tool, contents);
        }

        if (Text(m["content"]) is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var call in (m["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var arguments = (string?)call["function"]?["arguments"];
            var parsed = string.IsNullOrEmpty(arguments)
                ? new Dictionary<string, object?>()
                : JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments, AIJsonUtilities.DefaultOptions);
            contents.Add(new FunctionCallContent((string?)call["id"] ?? "", (string?)call["function"]?["name"] ?? "", parsed));
        }

        return new ChatMessage(new ChatRole(role), contents);
    }

    // Tool results travel as text; the Offline model reads values out of them, so JSON goes back to JSON.
    private static object? ParseResult(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return content;
        }

        try
        {
            return JsonSerializer.Deserialize<JsonElement>(content);
        }
        catch (JsonException)
        {
            return content;
        }
    }

    private static string? Text(JsonNode? content) => content switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => (string?)p["text"] ?? "")),
        _ => null,
    };
}
