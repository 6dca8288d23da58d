using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>
/// A small write API on real Kestrel (127.0.0.1, a free port) that injects faults by plan: 500s, 429 with Retry-After,
/// hangs past the caller's attempt timeout, 401s. Effects are keyed by the <c>Idempotency-Key</c> header, as a real API
/// that honours it: a repeated key gets the first effect back and applies nothing new.
/// </summary>
public sealed class FaultyApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    private FaultyApi(WebApplication app, Func<string, int, ApiFault> plan)
    {
        (_app, Plan) = (app, plan);
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The fault for the n-th request (1-based) carrying a note.</summary>
    public Func<string, int, ApiFault> Plan { get; set; }

    /// <summary>Effects applied, by idempotency key: (run id, note, effect id).</summary>
    public ConcurrentDictionary<string, (string RunId, string Note, string EffectId)> Effects { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request's idempotency key, in arrival order.</summary>
    public ConcurrentQueue<(string Key, string Note, ApiFault Fault)> Requests { get; } = new();

    /// <summary>Called after an effect was applied (a new one or a repeat), before the response is written.</summary>
    public Action<string>? AfterEffect { get; set; }

    public static async Task<FaultyApi> StartAsync(Func<string, int, ApiFault> plan)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new FaultyApi(app, plan);
        app.MapPost("/effects", api.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return api;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted))?.AsObject();
        var note = body?["note"]?.GetValue<string>() ?? "";
        if (key.Length == 0)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("Idempotency-Key is required.", context.RequestAborted);
            return;
        }

        var fault = Plan(note, _attempts.AddOrUpdate(note, 1, (_, n) => n + 1));
        Requests.Enqueue((key, note, fault));
        switch (fault)
        {
            case ApiFault.ServerError:
                context.Response.StatusCode = 500;
                return;
            case ApiFault.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            case ApiFault.Unauthorized:
                context.Response.StatusCode = 401;
                return;
        }

        var effect = Effects.GetOrAdd(key, _ => (body?["runId"]?.GetValue<string>() ?? "", note, $"EFF-{Effects.Count + 1:0000}"));
        AfterEffect?.Invoke(key);
        if (fault == ApiFault.Hang)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up on this attempt; the effect stays applied (its response was lost).
            }

            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["effectId"] = effect.EffectId, ["note"] = effect.Note }.ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
