using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Chat;

/// <summary>
/// Posts a notification to a team channel. Sandbox: the post lands in the app's chat log (the Chat tab). Live: a
/// Slack-compatible incoming webhook (<c>POST {"text": …}</c>) whose URL is the connection's secret <c>webhookUrl</c>
/// (the URL is the credential, so it never appears in a message or a log), with an <c>Idempotency-Key</c> header.
/// </summary>
public sealed class ChatConnector(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    IHttpClientFactory httpClients,
    TimeProvider time) : IConnector
{
    public const string ConnectorKey = "chat";
    public const string ConnectionKey = "chat";
    public const string NotifyTool = "chat_notify";
    public const string WebhookSecret = "webhookUrl";
    public const int MaxChannelChars = 80;
    public const int MaxMessageChars = 4_000;

    /// <summary>The connection setting naming the channel a notification without one goes to.</summary>
    public const string DefaultChannelSetting = "defaultChannel";

    /// <summary>Where a notification goes when neither the agent nor the connection names a channel.</summary>
    public const string DefaultChannel = "Sales";

    public string Key => ConnectorKey;

    public string Name => "Chat notifications (Slack-compatible webhook)";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(NotifyTool, "Notify a team channel",
            "Post a short notification to an internal team channel, e.g. to tell the owning sales team about a new lead.",
            $$$"""
            {"type":"object","properties":{
              "channel":{"type":"string","description":"Team or channel to notify, e.g. Sales EMEA; leave it out to post to the connection's default channel (e.g. when no owning team is known)","minLength":1,"maxLength":{{{MaxChannelChars}}}},
              "message":{"type":"string","description":"Notification text","minLength":1,"maxLength":{{{MaxMessageChars}}}}},
             "required":["message"]}
            """,
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectionKey) { NotificationOnly = true, Idempotent = true },
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        if (toolCall.Tool.Key != NotifyTool)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, $"The chat connector has no tool '{toolCall.Tool.Key}'.");
        }

        var channel = toolCall.Text("channel") is { Length: > 0 } named ? named : toolCall.Connection.Setting(DefaultChannelSetting) ?? DefaultChannel;
        var text = toolCall.RequiredText("message");
        if (toolCall.Connection.Mode == ConnectionMode.Live)
        {
            await PostAsync(toolCall, channel, text, ct);
            return Result("posted", channel, text.Length, repeated: false);
        }

        var (row, repeated) = await SandboxEffects.RecordOnceAsync(dbFactory, new ChatNotification
        {
            RunId = SandboxEffects.RunOf(toolCall),
            AgentKey = toolCall.AgentKey,
            CallId = toolCall.CallId,
            IdempotencyKey = toolCall.IdempotencyKey,
            Channel = channel,
            Message = text,
            PostedAt = time.GetUtcNow(),
        }, ct);
        return Result("posted to the sandbox chat log", row.Channel, row.Message.Length, repeated);
    }

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct) =>
        Task.FromResult(connection.Mode == ConnectionMode.Sandbox
            ? ConnectionHealth.Healthy("Sandbox: notifications land in the app's chat log.")
            : WebhookProblem(connection) is { } problem
                ? ConnectionHealth.Unhealthy(problem)
                : ConnectionHealth.Healthy("Live: posts to the configured incoming webhook."));

    private async Task PostAsync(ToolCall toolCall, string channel, string text, CancellationToken ct)
    {
        if (WebhookProblem(toolCall.Connection) is { } problem)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, problem);
        }

        var webhook = new Uri(toolCall.Connection.Secret(WebhookSecret)!);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook)
        {
            // Slack-style webhooks post to the channel they were created for; the channel the agent named leads the text.
            Content = JsonContent.Create(new JsonObject { ["text"] = $"[{channel}] {text}" }),
        };
        request.Headers.Add("Idempotency-Key", toolCall.IdempotencyKey);

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(ToolHttp.ClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            // The exception's message may carry the URL, which is the secret: only the host and the kind of error go out.
            throw new ToolCallException(ToolFailureKind.Transient, $"Could not reach the chat webhook at {webhook.Host}: {ex.HttpRequestError}.", ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            throw Classify(response, webhook.Host, time.GetUtcNow());
        }
    }

    /// <summary>429 and 5xx may pass later (429 with the wait the server asked for); 4xx means the webhook or payload is wrong.</summary>
    internal static ToolCallException Classify(HttpResponseMessage response, string host, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var what = $"The chat webhook at {host} answered {status} {response.ReasonPhrase}".TrimEnd();
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new ToolCallException(ToolFailureKind.Transient, $"{what}: too many posts, try again later.")
            {
                Status = status,
                RetryAfter = RetryAfter(response, now),
            },
            HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError =>
                new ToolCallException(ToolFailureKind.Transient, $"{what}.") { Status = status, RetryAfter = RetryAfter(response, now) },
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone =>
                new ToolCallException(ToolFailureKind.Permanent, $"{what}: the webhook was revoked or its URL is wrong; an Admin must set a valid 'webhookUrl' secret.") { Status = status },
            _ => new ToolCallException(ToolFailureKind.Permanent, $"{what}: the webhook refused the post.") { Status = status },
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    private static string? WebhookProblem(ConnectionSnapshot connection) =>
        connection.Secret(WebhookSecret) is not { Length: > 0 } url
            ? $"Connection '{connection.Key}' has no '{WebhookSecret}' secret: an Admin enters the incoming-webhook URL in Settings."
            : !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                ? $"Connection '{connection.Key}' has a '{WebhookSecret}' secret that is not an http(s) URL."
                : null;

    private static JsonObject Result(string status, string channel, int characters, bool repeated) => new()
    {
        ["status"] = status,
        ["channel"] = channel,
        ["characters"] = characters,
        ["alreadyPosted"] = repeated,
    };
}
