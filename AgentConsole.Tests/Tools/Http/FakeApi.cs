using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Tools.Http;

/// <summary>A request the fake API received: what actually went over the wire.</summary>
public sealed record FakeApiRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A small HTTP API over real Kestrel on 127.0.0.1 (a random port) that the HTTP API connector calls in tests: items to
/// read and create, any status on demand (with Retry-After on 429), redirects, and a body that never ends. Records every request.
/// </summary>
public sealed class FakeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<FakeApiRequest> _requests = [];
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeApi(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>"127.0.0.1:port", as an allow-list entry names this API.</summary>
    public string HostEntry => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public IReadOnlyList<FakeApiRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    public static async Task<FakeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new FakeApi(app);
        app.Use(async (context, next) =>
        {
            await api.RecordAsync(context);
            await next(context);
        });
        app.MapGet("/items", () => Results.Json(new { items = new[] { new { id = 1, name = "Widget" }, new { id = 2, name = "Gadget" } } }));
        app.MapPost("/items", () => Results.Json(new { id = 3, created = true }, statusCode: 201));
        app.MapGet("/text", () => Results.Text("plain words", "text/plain"));
        app.Map("/status/{code:int}", (int code, HttpContext context) =>
        {
            if (code == 429)
            {
                context.Response.Headers.RetryAfter = "7";
            }

            return Results.Text("""{"error":"the field 'name' is required"}""", "application/json", statusCode: code);
        });
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/endless", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            try
            {
                // 64 KiB, then the body stalls until the test releases it: a client that read to the end would hang here.
                await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(new string('a', 64 * 1024)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await api._release.Task.WaitAsync(context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client closed the connection after reading its cap.
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return api;
    }

    private async Task RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _requests.Add(new FakeApiRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
