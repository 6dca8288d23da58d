using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>
/// A test-only write connector over HTTP, as a live connector would be: the named tools HttpClient, the call's
/// idempotency key as <c>Idempotency-Key</c>, failures classified by status (429/5xx transient with Retry-After,
/// 401/403 permanent).
/// </summary>
public sealed class FakeApiConnector(Uri baseAddress) : IConnector
{
    public const string ToolKey = "fake_api_post";

    public string Key => "fakeapi";

    public string Name => "Fake API (tests)";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(ToolKey, "Post to the fake API (tests)", "Records a note in the fake API; one effect per call.",
            """{"type":"object","properties":{"note":{"type":"string","description":"What to record"}},"required":["note"]}""",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, "fakeapi", "fakeapi") { Idempotent = true },
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        var http = toolCall.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ToolHttp.ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "effects"))
        {
            Content = JsonContent.Create(new { runId = toolCall.RunId.ToString(), callId = toolCall.CallId, note = toolCall.RequiredText("note") }),
        };
        request.Headers.Add("Idempotency-Key", toolCall.IdempotencyKey);
        using var response = await http.SendAsync(request, ct);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        }

        var retryAfter = response.Headers.RetryAfter?.Delta;
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new ToolCallException(ToolFailureKind.Permanent, $"The fake API answered {status} {response.ReasonPhrase}: check the connection's credentials.") { Status = status },
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError =>
                new ToolCallException(ToolFailureKind.Transient, $"The fake API answered {status} {response.ReasonPhrase}.") { Status = status, RetryAfter = retryAfter },
            _ => new ToolCallException(ToolFailureKind.Permanent, $"The fake API refused the call: {status} {response.ReasonPhrase}.") { Status = status },
        };
    }
}
