using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Tools.Chat;

/// <summary>One request the fake webhook received.</summary>
public sealed record WebhookPost(string Path, string? IdempotencyKey, string ContentType, string Body);

/// <summary>A scripted answer: a status, optionally a Retry-After in seconds.</summary>
public sealed record WebhookReply(int Status, int? RetryAfterSeconds = null);

/// <summary>
/// A Slack-compatible incoming webhook over real HTTP on loopback (Kestrel): answers the scripted statuses in order,
/// then 200 "ok" like Slack, and records every post.
/// </summary>
public sealed class FakeChatWebhook : IAsyncDisposable
{
    public const string SecretPath = "/services/T000/B000/s3cr3t-webhook-token";

    private readonly WebApplication _app;
    private readonly Queue<WebhookReply> _replies;
    private readonly Lock _gate = new();
    private readonly List<WebhookPost> _posts = [];

    private FakeChatWebhook(WebApplication app, IEnumerable<WebhookReply> replies)
    {
        _app = app;
        _replies = new Queue<WebhookReply>(replies);
    }

    /// <summary>The full webhook URL: it is the credential, stored as the connection's secret.</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<WebhookPost> Posts
    {
        get
        {
            lock (_gate)
            {
                return [.. _posts];
            }
        }
    }

    public static async Task<FakeChatWebhook> StartAsync(params WebhookReply[] replies)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var hook = new FakeChatWebhook(app, replies);
        app.MapPost("/{**path}", hook.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        hook.Url = address.TrimEnd('/') + SecretPath;
        return hook;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        WebhookReply reply;
        lock (_gate)
        {
            _posts.Add(new WebhookPost(context.Request.Path, context.Request.Headers["Idempotency-Key"].FirstOrDefault(), context.Request.ContentType ?? "", body));
            reply = _replies.TryDequeue(out var next) ? next : new WebhookReply(200);
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(reply.Status == 200 ? "ok" : "no_service", context.RequestAborted);
    }
}
