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

namespace AgentConsole.Tests.Tools.Crm;

/// <summary>One request the fake CRM received.</summary>
public sealed record FakeCrmRequest(string Method, string PathAndQuery, string? Authorization, string? IdempotencyKey, string Body);

/// <summary>
/// A REST CRM over real HTTP on loopback (Kestrel), speaking its own field names ("org_name", "contact_email"):
/// it keeps leads by e-mail, applies a write once per <c>Idempotency-Key</c>, checks the Bearer token and answers
/// scripted faults (401, 429, 503 with Retry-After) when told to.
/// </summary>
public sealed class FakeCrm : IAsyncDisposable
{
    public const string Token = "crm-test-token-not-a-secret";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _answeredByKey = new(StringComparer.Ordinal);

    private FakeCrm(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<FakeCrmRequest> Requests { get; } = new();

    /// <summary>Leads by e-mail, in the CRM's own field names.</summary>
    public ConcurrentDictionary<string, JsonObject> Leads { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many writes took effect (a repeated idempotency key does not count).</summary>
    public int Effects => _effects;

    private int _effects;

    /// <summary>Faults to answer before the normal answers, one per request: (status, Retry-After header or null).</summary>
    public ConcurrentQueue<(int Status, string? RetryAfter)> Faults { get; } = new();

    public static async Task<FakeCrm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var crm = new FakeCrm(app);
        app.Run(crm.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        crm.BaseAddress = new Uri(address.TrimEnd('/') + "/api/v2/");
        return crm;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        Requests.Enqueue(new FakeCrmRequest(request.Method, request.Path + request.QueryString, request.Headers.Authorization.FirstOrDefault(), key, body));

        if (Faults.TryDequeue(out var fault))
        {
            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = fault.RetryAfter;
            }

            await context.Response.WriteAsJsonAsync(new { message = $"injected {fault.Status}" });
            return;
        }

        if (request.Headers.Authorization.FirstOrDefault() != $"Bearer {Token}")
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { message = "bad token" });
            return;
        }

        var path = request.Path.Value ?? "";
        switch (request.Method, path)
        {
            case ("GET", "/api/v2/orgs/search"):
                var name = request.Query["q"].ToString();
                if (!name.Equals("Acme GmbH", StringComparison.OrdinalIgnoreCase))
                {
                    await context.Response.WriteAsync("[]");
                    return;
                }

                await context.Response.WriteAsync("""[{"org_id":"org-7","org_name":"Acme GmbH","owner_team":"Sales EMEA","is_customer":false}]""");
                return;
            case ("GET", "/api/v2/leads"):
                if (Leads.TryGetValue(request.Query["email"].ToString(), out var found))
                {
                    await context.Response.WriteAsync(found.ToJsonString());
                    return;
                }

                context.Response.StatusCode = 404;
                return;
            case ("PATCH", "/api/v2/leads"):
                if (key is null)
                {
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsJsonAsync(new { message = "Idempotency-Key required" });
                    return;
                }

                var answer = _answeredByKey.GetOrAdd(key, _ =>
                {
                    Interlocked.Increment(ref _effects);
                    var email = request.Query["email"].ToString();
                    var changes = JsonNode.Parse(body)!.AsObject();
                    var lead = Leads.GetOrAdd(email, e => new JsonObject { ["contact_email"] = e });
                    lock (lead)
                    {
                        foreach (var (field, value) in changes)
                        {
                            lead[field] = value?.DeepClone();
                        }

                        return lead.ToJsonString();
                    }
                });
                await context.Response.WriteAsync(answer);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
