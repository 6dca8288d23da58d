using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Models;

/// <summary>
/// A local OpenAI-compatible chat completions endpoint over real HTTP, so tests exercise the real OpenAI client,
/// its retries, error mapping and streaming. Replies are scripted; every request is recorded.
/// </summary>
public sealed class FakeModelEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Func<FakeModelRequest, FakeModelReply> script;
    private readonly Lock gate = new();
    private readonly List<string> requests = [];
    private readonly List<FakeModelRequest> parsed = [];
    private int callCount;

    private FakeModelEndpoint(WebApplication app, Func<FakeModelRequest, FakeModelReply> script)
    {
        this.app = app;
        this.script = script;
    }

    /// <summary>The OpenAI base address, e.g. http://127.0.0.1:41234/v1/, for <c>OpenAIClientOptions.Endpoint</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Raw request bodies in arrival order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Parsed requests in arrival order.</summary>
    public IReadOnlyList<FakeModelRequest> ParsedRequests
    {
        get
        {
            lock (gate)
            {
                return [.. parsed];
            }
        }
    }

    public int CallCount => Volatile.Read(ref callCount);

    /// <summary>Answers the scripted replies in order; a request past the end gets a 500 that says so.</summary>
    public static Task<FakeModelEndpoint> StartAsync(params FakeModelReply[] replies)
    {
        var queue = new Queue<FakeModelReply>(replies);
        var gate = new Lock();
        return StartAsync(_ =>
        {
            lock (gate)
            {
                return queue.TryDequeue(out var reply)
                    ? reply
                    : FakeModelReply.Status(500, body: ErrorBody("The fake model endpoint has no scripted reply left.", "server_error"));
            }
        });
    }

    public static async Task<FakeModelEndpoint> StartAsync(Func<FakeModelRequest, FakeModelReply> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var builder = WebApplication.CreateSlimBuilder();
        // The test host's appsettings and ASPNETCORE_* variables are the app's, not this endpoint's.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new FakeModelEndpoint(app, script);
        app.MapPost("/v1/chat/completions", endpoint.HandleAsync);
        app.MapPost("/chat/completions", endpoint.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.BaseAddress = new Uri(address.TrimEnd('/') + "/v1/");
        return endpoint;
    }

    /// <summary>A model stuck in a loop: every answer asks for another call of the same tool.</summary>
    public static Func<FakeModelRequest, FakeModelReply> AlwaysToolCall(string name, object? arguments = null) =>
        _ => FakeModelReply.ToolCall(name, arguments);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    internal static string ErrorBody(string message, string type, string? code = null) => new JsonObject
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
    }.ToJsonString();

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(aborted);
        }

        FakeModelRequest request;
        lock (gate)
        {
            request = FakeModelRequest.Parse(++callCount, body);
            requests.Add(body);
            parsed.Add(request);
        }

        FakeModelReply reply;
        try
        {
            reply = script(request);
        }
        catch (Exception e)
        {
            reply = FakeModelReply.Status(500, body: ErrorBody($"The test script threw: {e.Message}", "server_error"));
        }

        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, aborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var response = context.Response;
        switch (reply.Kind)
        {
            case FakeReplyKind.Status:
                response.StatusCode = reply.StatusCode;
                if (reply.RetryAfterSeconds is { } seconds)
                {
                    response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                response.ContentType = "application/json";
                await response.WriteAsync(reply.Body ?? ErrorBody($"Scripted status {reply.StatusCode}.", StatusType(reply.StatusCode)), aborted);
                return;
            case FakeReplyKind.Garbage:
                response.ContentType = "application/json";
                await response.WriteAsync(reply.Body ?? "<html><body>502 Bad Gateway (not JSON)</body></html>", aborted);
                return;
        }

        var toolCalls = new JsonArray();
        for (var i = 0; i < reply.Calls.Count; i++)
        {
            toolCalls.Add(new JsonObject
            {
                ["id"] = $"call_{request.CallNumber}_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = reply.Calls[i].Name, ["arguments"] = reply.Calls[i].Arguments },
            });
        }

        var finishReason = toolCalls.Count > 0 ? "tool_calls" : "stop";
        var promptTokens = reply.PromptTokens ?? (body.Length + 3) / 4;
        var producedChars = (reply.Content?.Length ?? 0) + reply.Calls.Sum(c => c.Name.Length + c.Arguments.Length);
        var completionTokens = reply.CompletionTokens ?? Math.Max(1, (producedChars + 3) / 4);
        JsonObject Usage() => new()
        {
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = completionTokens,
            ["total_tokens"] = promptTokens + completionTokens,
        };

        var id = $"chatcmpl-fake-{request.CallNumber}";
        var created = 1_750_000_000 + request.CallNumber;
        var model = request.Model ?? "fake-model";

        if (!request.Stream)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content, ["refusal"] = null };
            if (toolCalls.Count > 0)
            {
                message["tool_calls"] = toolCalls;
            }

            var completion = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = message,
                    ["logprobs"] = null,
                    ["finish_reason"] = finishReason,
                }),
            };
            if (!reply.OmitUsage)
            {
                completion["usage"] = Usage();
            }

            response.ContentType = "application/json";
            await response.WriteAsync(completion.ToJsonString(), aborted);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        JsonObject Chunk(JsonObject? delta, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = delta is null
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
        };

        async Task Send(JsonNode data)
        {
            await response.WriteAsync($"data: {data.ToJsonString()}\n\n", aborted);
            await response.Body.FlushAsync(aborted);
        }

        await Send(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        if (reply.Content is { Length: > 0 } content)
        {
            // Two pieces, so clients have to join the deltas as they would for a real model.
            var half = content.Length / 2;
            await Send(Chunk(new JsonObject { ["content"] = content[..half] }, null));
            await Send(Chunk(new JsonObject { ["content"] = content[half..] }, null));
        }

        for (var i = 0; i < toolCalls.Count; i++)
        {
            var call = toolCalls[i]!.DeepClone().AsObject();
            call["index"] = i;
            await Send(Chunk(new JsonObject { ["tool_calls"] = new JsonArray(call) }, null));
        }

        await Send(Chunk(new JsonObject(), finishReason));
        if (!reply.OmitUsage && request.IncludeUsageInStream)
        {
            var usage = Chunk(null, null);
            usage["usage"] = Usage();
            await Send(usage);
        }

        await response.WriteAsync("data: [DONE]\n\n", aborted);
    }

    private static string StatusType(int status) => status switch
    {
        401 => "invalid_request_error",
        429 => "rate_limit_exceeded",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}

/// <summary>One chat completions request as the endpoint saw it.</summary>
public sealed class FakeModelRequest
{
    /// <summary>1 for the first request the endpoint received, 2 for the next, ...</summary>
    public required int CallNumber { get; init; }
    public required string Body { get; init; }

    /// <summary>The parsed body, or null when it was not a JSON object.</summary>
    public JsonObject? Json { get; init; }
    public string? Model { get; init; }
    public bool Stream { get; init; }
    public bool IncludeUsageInStream { get; init; }
    public IReadOnlyList<FakeModelMessage> Messages { get; init; } = [];
    public IReadOnlyList<string> ToolNames { get; init; } = [];

    public FakeModelMessage? LastMessage => Messages.Count == 0 ? null : Messages[^1];

    internal static FakeModelRequest Parse(int callNumber, string body)
    {
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (json is null)
        {
            return new FakeModelRequest { CallNumber = callNumber, Body = body };
        }

        var messages = (json["messages"] as JsonArray ?? []).OfType<JsonObject>().Select(m => new FakeModelMessage(
            (string?)m["role"] ?? "",
            ContentText(m["content"]),
            (m["tool_calls"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(c => new FakeToolCall((string?)c["id"] ?? "", (string?)c["function"]?["name"] ?? "", (string?)c["function"]?["arguments"] ?? ""))
                .ToList(),
            (string?)m["tool_call_id"])).ToList();

        return new FakeModelRequest
        {
            CallNumber = callNumber,
            Body = body,
            Json = json,
            Model = (string?)json["model"],
            Stream = json["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True,
            IncludeUsageInStream = json["stream_options"]?["include_usage"] is JsonValue include && include.GetValueKind() == JsonValueKind.True,
            Messages = messages,
            ToolNames = (json["tools"] as JsonArray ?? []).OfType<JsonObject>().Select(t => (string?)t["function"]?["name"] ?? "").ToList(),
        };
    }

    // Content is a string or, in newer clients, an array of typed parts.
    private static string? ContentText(JsonNode? content) => content switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => (string?)p["text"] ?? "")),
        _ => null,
    };
}

public sealed record FakeModelMessage(string Role, string? Content, IReadOnlyList<FakeToolCall> ToolCalls, string? ToolCallId);

public sealed record FakeToolCall(string Id, string Name, string Arguments);

public enum FakeReplyKind
{
    Text,
    ToolCalls,
    Status,
    Garbage,
}

/// <summary>What the fake endpoint answers to one request.</summary>
public sealed record FakeModelReply
{
    public FakeReplyKind Kind { get; init; }
    public string? Content { get; init; }
    public IReadOnlyList<(string Name, string Arguments)> Calls { get; init; } = [];
    public int StatusCode { get; init; } = 200;
    public string? Body { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public TimeSpan Delay { get; init; }
    public bool OmitUsage { get; init; }

    /// <summary>Token counts to report; by default about a token per four characters of request and answer.</summary>
    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }

    public static FakeModelReply Text(string text) => new() { Kind = FakeReplyKind.Text, Content = text };

    /// <summary>One tool call; arguments are serialised to JSON unless they already are a JSON string.</summary>
    public static FakeModelReply ToolCall(string name, object? arguments = null) => ToolCalls((name, arguments));

    public static FakeModelReply ToolCalls(params (string Name, object? Arguments)[] calls) => new()
    {
        Kind = FakeReplyKind.ToolCalls,
        Calls = calls.Select(c => (c.Name, c.Arguments switch
        {
            null => "{}",
            string json => json,
            var value => JsonSerializer.Serialize(value),
        })).ToList(),
    };

    /// <summary>An HTTP error; the body defaults to an OpenAI-style error object.</summary>
    public static FakeModelReply Status(int statusCode, int? retryAfterSeconds = null, string? body = null) =>
        new() { Kind = FakeReplyKind.Status, StatusCode = statusCode, RetryAfterSeconds = retryAfterSeconds, Body = body };

    /// <summary>A 200 whose body is not JSON, as a misconfigured proxy would send.</summary>
    public static FakeModelReply Garbage(string? body = null) => new() { Kind = FakeReplyKind.Garbage, Body = body };

    public FakeModelReply WithDelay(TimeSpan delay) => this with { Delay = delay };

    public FakeModelReply WithoutUsage() => this with { OmitUsage = true };

    public FakeModelReply WithUsage(int promptTokens, int completionTokens) =>
        this with { PromptTokens = promptTokens, CompletionTokens = completionTokens };
}
