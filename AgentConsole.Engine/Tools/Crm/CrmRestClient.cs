using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// Live mode: a generic REST CRM. Settings: <c>baseUrl</c>, <c>fieldMapping</c> (our field name → theirs, applied
/// to request bodies and, reversed, to answers) and <c>paths</c> (one URL template per operation, placeholders such
/// as <c>{email}</c> filled with URL-encoded arguments). Secret <c>token</c> goes out as a Bearer token; writes carry
/// the call's <c>Idempotency-Key</c>. Failures are classified so the engine knows what to do: 429/5xx/timeouts/
/// unreachable → transient (with Retry-After), 401/403/missing settings → permanent, 400/409/422 → bad arguments.
/// </summary>
public sealed class CrmRestClient(IHttpClientFactory httpFactory)
{
    public const string BaseUrlSetting = "baseUrl";
    public const string FieldMappingSetting = "fieldMapping";
    public const string PathsSetting = "paths";
    public const string TokenSecret = "token";

    /// <summary>Operation → (method, default path template). An Admin overrides the path per operation in <c>paths</c>.</summary>
    public static readonly IReadOnlyDictionary<string, (string Operation, HttpMethod Method, string Path)> Operations =
        new Dictionary<string, (string, HttpMethod, string)>(StringComparer.Ordinal)
        {
            [CrmTools.FindCompany] = ("findCompany", HttpMethod.Get, "companies?name={company}&email={email}"),
            [CrmTools.GetLead] = ("getLead", HttpMethod.Get, "leads?email={email}&id={leadId}"),
            [CrmTools.UpdateLead] = ("updateLead", HttpMethod.Patch, "leads?email={email}"),
            [CrmTools.CreateTask] = ("createTask", HttpMethod.Post, "tasks"),
            [CrmTools.SetLeadStatus] = ("setLeadStatus", HttpMethod.Patch, "leads?email={email}&id={leadId}"),
        };

    private const int MaxErrorChars = 300;

    /// <summary>What keeps a live connection from working, in words an Admin can act on; null when it is complete.</summary>
    public static string? ConfigurationProblem(ConnectionSnapshot connection)
    {
        var baseUrl = connection.Setting(BaseUrlSetting);
        if (baseUrl is null)
        {
            return $"Live CRM: set '{BaseUrlSetting}' (e.g. https://crm.example.com/api/).";
        }

        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"Live CRM: '{BaseUrlSetting}' must be an absolute http(s) URL.";
        }

        if (connection.Settings[FieldMappingSetting] is { } mapping && mapping is not JsonObject)
        {
            return $"Live CRM: '{FieldMappingSetting}' must be a JSON object mapping our field names to the CRM's.";
        }

        if (connection.Settings[PathsSetting] is { } paths && paths is not JsonObject)
        {
            return $"Live CRM: '{PathsSetting}' must be a JSON object of operation → path.";
        }

        return connection.Secret(TokenSecret) is null ? $"Live CRM: set the secret '{TokenSecret}' (sent as a Bearer token)." : null;
    }

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        var connection = toolCall.Connection;
        if (ConfigurationProblem(connection) is { } problem)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, problem);
        }

        if (!Operations.TryGetValue(toolCall.Tool.Key, out var operation))
        {
            throw new ToolCallException(ToolFailureKind.Permanent, $"The live CRM has no operation for '{toolCall.Tool.Key}'.");
        }

        var mapping = Mapping(connection);
        var path = (connection.Settings[PathsSetting] as JsonObject)?[operation.Operation] is JsonValue custom && custom.TryGetValue<string>(out var p) && !string.IsNullOrWhiteSpace(p)
            ? p.Trim()
            : operation.Path;
        var baseUri = new Uri(connection.Setting(BaseUrlSetting)!.TrimEnd('/') + "/");
        var uri = new Uri(baseUri, Fill(path.TrimStart('/'), toolCall.Arguments));

        using var request = new HttpRequestMessage(operation.Method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Secret(TokenSecret));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var write = toolCall.Tool.Access == ToolAccess.Write;
        if (write)
        {
            request.Headers.Add("Idempotency-Key", toolCall.IdempotencyKey);
            request.Content = new StringContent(Rename(toolCall.Arguments, mapping)!.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await httpFactory.CreateClient(ToolHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            return Answer(body, mapping, lookup: !write);
        }

        if (!write && response.StatusCode == HttpStatusCode.NotFound)
        {
            return new JsonObject { ["found"] = false, ["note"] = "The CRM has no record that matches." };
        }

        throw Failure(toolCall.Tool.Key, response, body);
    }

    internal static ToolCallException Failure(string tool, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var detail = Detail(body);
        return status switch
        {
            401 or 403 => new ToolCallException(ToolFailureKind.Permanent,
                $"The CRM refused {tool} ({status} {response.ReasonPhrase}): check the connection's token.") { Status = status },
            400 or 409 or 422 => new ToolCallException(ToolFailureKind.InvalidArguments,
                $"The CRM rejected the arguments of {tool} ({status}){detail}") { Status = status },
            404 => new ToolCallException(ToolFailureKind.Permanent, $"The CRM has no such record for {tool} (404){detail}") { Status = status },
            408 or 429 or >= 500 => new ToolCallException(ToolFailureKind.Transient,
                $"The CRM is unavailable for {tool} ({status} {response.ReasonPhrase}){detail}") { Status = status, RetryAfter = RetryAfter(response) },
            _ => new ToolCallException(ToolFailureKind.Permanent, $"The CRM answered {tool} with {status} {response.ReasonPhrase}{detail}") { Status = status },
        };
    }

    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - (response.Headers.Date ?? DateTimeOffset.UtcNow);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string Detail(string body)
    {
        var text = body.Trim();
        if (text.Length == 0)
        {
            return ".";
        }

        try
        {
            if (JsonNode.Parse(text) is JsonObject obj && (obj["detail"] ?? obj["message"] ?? obj["error"] ?? obj["title"]) is JsonValue v && v.TryGetValue<string>(out var message))
            {
                text = message;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself, cut, is the best we have.
        }

        return $": {CrmSandbox.Cut(text.ReplaceLineEndings(" "), MaxErrorChars)}";
    }

    private static JsonNode? Answer(string body, IReadOnlyDictionary<string, string> mapping, bool lookup)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new JsonObject { ["ok"] = true };
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, "The CRM answered with something that is not JSON; check the connection's base URL and paths.", ex);
        }

        var reverse = mapping.GroupBy(m => m.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var renamed = Rename(node, reverse);
        if (!lookup)
        {
            return renamed;
        }

        // A search endpoint answers a list: the first match is the record, none means not found.
        if (renamed is JsonArray list)
        {
            return list.Count == 0 ? new JsonObject { ["found"] = false, ["note"] = "The CRM has no record that matches." } : Found(list[0]);
        }

        return Found(renamed);
    }

    private static JsonNode? Found(JsonNode? node)
    {
        if (node is JsonObject obj && !obj.ContainsKey("found"))
        {
            var copy = (JsonObject)obj.DeepClone();
            copy.Insert(0, "found", true);
            return copy;
        }

        return node?.DeepClone();
    }

    private static Dictionary<string, string> Mapping(ConnectionSnapshot connection)
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        if (connection.Settings[FieldMappingSetting] is JsonObject obj)
        {
            foreach (var (ours, theirs) in obj)
            {
                if (theirs is JsonValue v && v.TryGetValue<string>(out var name) && !string.IsNullOrWhiteSpace(name))
                {
                    mapping[ours] = name.Trim();
                }
            }
        }

        return mapping;
    }

    /// <summary>Renames object properties at every depth; values stay as they are.</summary>
    internal static JsonNode? Rename(JsonNode? node, IReadOnlyDictionary<string, string> names) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(names.TryGetValue(p.Key, out var n) ? n : p.Key, Rename(p.Value, names)))),
        JsonArray array => new JsonArray([.. array.Select(i => Rename(i, names))]),
        _ => node?.DeepClone(),
    };

    /// <summary>Fills <c>{name}</c> placeholders with the URL-encoded argument (empty when absent).</summary>
    internal static string Fill(string template, JsonObject arguments)
    {
        var result = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }

            result.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            var value = arguments[name] switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v => v.ToJsonString(),
                _ => "",
            };
            result.Append(Uri.EscapeDataString(value.Trim()));
            i = close + 1;
        }

        return result.ToString();
    }
}
