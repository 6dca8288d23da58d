using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Tools.Http;

/// <summary>
/// Calls an HTTP API on the connection's allow-list, with headers from the connection's secrets. A read-scope grant
/// limits it to GET and HEAD; writes carry the call's <c>Idempotency-Key</c>. In sandbox mode nothing is sent: the
/// request is recorded (once per idempotency key) and answered with an echo.
/// </summary>
public sealed class HttpApiConnector(
    IHttpClientFactory httpClients,
    HttpSandboxLog sandbox,
    IOptionsMonitor<HttpApiOptions> options,
    TimeProvider time) : IConnector
{
    public const string ConnectorKey = "http";
    public const string ToolKey = "http_request";

    private const int ExcerptChars = 300;

    private static readonly string[] DefaultResponseHeaders =
        ["Content-Type", "Content-Length", "Location", "ETag", "Last-Modified", "Retry-After", "Link", "X-Request-Id"];

    public string Key => ConnectorKey;

    public string Name => "HTTP API";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(ToolKey, "Call an HTTP API",
            "Send one HTTP request to a host on the connection's allow-list and get back the status, selected response headers and the body " +
            "(parsed when JSON, text otherwise, cut when large). GET and HEAD read; POST, PUT, PATCH and DELETE change data on the other side. " +
            "Credentials are added by the connection: never put tokens in the URL or headers.",
            """
            {"type":"object","properties":{
              "method":{"type":"string","enum":["GET","HEAD","POST","PUT","PATCH","DELETE"],"description":"HTTP method"},
              "url":{"type":"string","maxLength":4096,"description":"Absolute http(s) URL on an allowed host"},
              "query":{"type":"object","description":"Query-string parameters added to the URL","additionalProperties":{"type":["string","number","boolean"]}},
              "headers":{"type":"object","description":"Extra request headers (not credentials)","additionalProperties":{"type":"string","maxLength":2048}},
              "body":{"description":"JSON body for POST, PUT, PATCH or DELETE"}
            },"required":["method","url"],"additionalProperties":false}
            """,
            ToolAccess.Write, ToolReach.External, Reversible: true, CostToUndoUsd: 5, ConnectorKey, ConnectorKey)
        {
            // Writes carry Idempotency-Key (live) or hit the unique key of the sandbox log, so a re-send has no second effect.
            Idempotent = true,
            SupportsReadScope = true,
        },
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        var request = HttpApiRequest.From(toolCall);
        if (toolCall.Scope == ToolScope.Read && !request.IsRead)
        {
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"The agent's grant of {ToolKey} is read-only: only GET and HEAD are allowed, so {request.Method} {request.Url.GetLeftPart(UriPartial.Path)} was refused.");
        }

        var connection = toolCall.Connection;
        var allowList = AllowList(connection);
        if (allowList.Refusal(request.Url) is { } refusal)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, $"Request refused: {refusal}");
        }

        var secretHeaders = SecretHeaders(connection);
        if (request.Headers.Keys.FirstOrDefault(secretHeaders.ContainsKey) is { } clash)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"The header '{clash}' is set by the connection; leave it out.");
        }

        return connection.Mode == ConnectionMode.Sandbox
            ? await RecordAsync(toolCall, request, secretHeaders, ct)
            : await SendAsync(toolCall, request, allowList, secretHeaders, ct);
    }

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct)
    {
        try
        {
            var allowList = AllowList(connection);
            var missing = SecretHeaders(connection).Values.Where(s => connection.Secret(s) is null).ToList();
            if (connection.Mode == ConnectionMode.Live && missing.Count > 0)
            {
                return Task.FromResult(ConnectionHealth.Unhealthy($"Secret(s) {string.Join(", ", missing)} named by secretHeaders are not set."));
            }

            var prefix = connection.Mode == ConnectionMode.Sandbox ? "Sandbox: requests are recorded, not sent. " : "";
            return Task.FromResult(ConnectionHealth.Healthy($"{prefix}Allowed hosts: {string.Join(", ", allowList.Entries)}."));
        }
        catch (ToolCallException ex)
        {
            return Task.FromResult(ConnectionHealth.Unhealthy(ex.Message));
        }
    }

    /// <summary>The connection's allow-list; a sandbox without one accepts the reserved example domains.</summary>
    internal static HostAllowList AllowList(ConnectionSnapshot connection)
    {
        var entries = connection.Settings["allowedHosts"] switch
        {
            null => [],
            JsonArray array => array.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            _ => [null],
        };
        if (entries.Any(e => e is null))
        {
            throw Misconfigured(connection, "allowedHosts must be a list of host names.");
        }

        HostAllowList list;
        try
        {
            list = HostAllowList.Parse(entries!);
        }
        catch (FormatException ex)
        {
            throw Misconfigured(connection, ex.Message);
        }

        if (!list.IsEmpty)
        {
            return list;
        }

        return connection.Mode == ConnectionMode.Sandbox
            ? HostAllowList.Parse(HostAllowList.SandboxDefaults)
            : throw Misconfigured(connection, "no allowedHosts are configured, so no request may leave.");
    }

    /// <summary>Header name → secret name, from the connection's <c>secretHeaders</c> setting.</summary>
    internal static Dictionary<string, string> SecretHeaders(ConnectionSnapshot connection)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (connection.Settings["secretHeaders"])
        {
            case null:
                return map;
            case JsonObject headers:
                foreach (var (header, secret) in headers)
                {
                    if (!HttpApiRequest.IsToken(header) || secret is not JsonValue v || !v.TryGetValue<string>(out var name) || string.IsNullOrWhiteSpace(name))
                    {
                        throw Misconfigured(connection, $"secretHeaders maps a header name to a secret name; '{header}' does not.");
                    }

                    map[header] = name.Trim();
                }

                return map;
            default:
                throw Misconfigured(connection, "secretHeaders must be an object of header name → secret name.");
        }
    }

    private static ToolCallException Misconfigured(ConnectionSnapshot connection, string problem) =>
        new(ToolFailureKind.Permanent, $"HTTP API connection '{connection.Key}' is misconfigured: {problem} An Admin can fix it in Settings → Connections.");

    private async Task<JsonNode?> RecordAsync(ToolCall toolCall, HttpApiRequest request, Dictionary<string, string> secretHeaders, CancellationToken ct)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in request.Headers)
        {
            headers[name] = value;
        }

        foreach (var (name, secret) in secretHeaders)
        {
            // Which secret would be sent, never a value: the sandbox log is visible to every Owner.
            headers[name] = $"(secret '{secret}')";
        }

        if (!request.IsRead)
        {
            headers["Idempotency-Key"] = toolCall.IdempotencyKey;
        }

        var (entry, replayed) = await sandbox.RecordAsync(new HttpSandboxRequest
        {
            RunId = toolCall.RunId == Guid.Empty ? null : toolCall.RunId,
            CallId = toolCall.CallId,
            IdempotencyKey = toolCall.IdempotencyKey,
            AgentKey = toolCall.AgentKey,
            ConnectionKey = toolCall.Connection.Key,
            Method = request.Method,
            Url = request.Url.AbsoluteUri,
            HeadersJson = headers.ToJsonString(),
            BodyJson = request.Body?.ToJsonString(),
            CreatedAt = time.GetUtcNow(),
        }, ct);

        return new JsonObject
        {
            ["status"] = 200,
            ["reason"] = "OK",
            ["url"] = entry.Url,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
            ["body"] = request.Method == "HEAD" ? null : new JsonObject
            {
                ["sandbox"] = true,
                ["requestId"] = entry.Id,
                ["method"] = entry.Method,
                ["url"] = entry.Url,
                ["headers"] = JsonNode.Parse(entry.HeadersJson),
                ["body"] = entry.BodyJson is null ? null : JsonNode.Parse(entry.BodyJson),
                ["replayed"] = replayed,
            },
            ["note"] = "Sandbox connection: the request was recorded on the sandbox HTTP log, not sent.",
        };
    }

    private async Task<JsonNode?> SendAsync(ToolCall toolCall, HttpApiRequest request, HostAllowList allowList, Dictionary<string, string> secretHeaders, CancellationToken ct)
    {
        var connection = toolCall.Connection;
        var secrets = new List<(string Header, string Value)>();
        foreach (var (header, secretName) in secretHeaders)
        {
            var value = connection.Secret(secretName)
                ?? throw Misconfigured(connection, $"the secret '{secretName}' (for header {header}) is not set.");
            secrets.Add((header, value));
        }

        var settings = options.CurrentValue;
        var cap = Math.Clamp(connection.IntSetting("maxResponseBytes") ?? settings.MaxResponseBytes, 1_024, HttpApiOptions.MaxResponseBytesCeiling);
        var client = httpClients.CreateClient(ToolHttp.ClientName);
        var origin = request.Url.GetLeftPart(UriPartial.Authority);
        var (method, url, body) = (request.Method, request.Url, request.Body);
        for (var redirects = 0; ; redirects++)
        {
            using var message = new HttpRequestMessage(new HttpMethod(method), url);
            foreach (var (name, value) in request.Headers.Where(h => !IsContentType(h.Key)))
            {
                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    throw new ToolCallException(ToolFailureKind.InvalidArguments, $"The header '{name}' cannot be set on a request.");
                }
            }

            // Credentials go only to the origin they were configured for, not to a host a redirect points at.
            if (string.Equals(url.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (name, value) in secrets)
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (method is not ("GET" or "HEAD"))
            {
                message.Headers.TryAddWithoutValidation("Idempotency-Key", toolCall.IdempotencyKey);
            }

            if (body is not null)
            {
                message.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                if (request.Headers.FirstOrDefault(h => IsContentType(h.Key)).Value is { } contentType
                    && MediaTypeHeaderValue.TryParse(contentType, out var parsedType))
                {
                    // e.g. application/merge-patch+json: the body is still the JSON the model gave.
                    message.Content.Headers.ContentType = parsedType;
                }
            }

            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            // Defence in depth: a handler that followed a redirect itself must not have left the allow-list either.
            if (response.RequestMessage?.RequestUri is { } reached && allowList.Refusal(reached) is { } followed)
            {
                throw new ToolCallException(ToolFailureKind.Permanent, $"The request was redirected off the allow-list: {followed}");
            }

            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                if (allowList.Refusal(next) is { } refused)
                {
                    throw new ToolCallException(ToolFailureKind.Permanent,
                        $"{url.GetLeftPart(UriPartial.Path)} redirected to {next.GetLeftPart(UriPartial.Path)}, which is refused: {refused}") { Status = (int)response.StatusCode };
                }

                if (redirects >= settings.MaxRedirects)
                {
                    throw new ToolCallException(ToolFailureKind.Permanent, $"More than {settings.MaxRedirects} redirects from {request.Url.GetLeftPart(UriPartial.Path)}.") { Status = (int)response.StatusCode };
                }

                // As browsers do: 303 always, and 301/302 after a POST, continue with a GET without the body.
                if (response.StatusCode == HttpStatusCode.SeeOther || (method == "POST" && response.StatusCode is HttpStatusCode.Moved or HttpStatusCode.Found))
                {
                    (method, body) = (method == "HEAD" ? "HEAD" : "GET", null);
                }

                url = next;
                continue;
            }

            return await ReadAsync(response, url, method, cap, ct);
        }
    }

    private static bool IsContentType(string header) => string.Equals(header, "Content-Type", StringComparison.OrdinalIgnoreCase);

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.Moved or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Classifies the status and reads at most <paramref name="cap"/> bytes of the body.</summary>
    private async Task<JsonNode?> ReadAsync(HttpResponseMessage response, Uri url, string method, int cap, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var what = $"{method} {url.GetLeftPart(UriPartial.Path)} answered {status} {response.ReasonPhrase}".TrimEnd();
        if (status == 429 || status == 408 || status >= 500)
        {
            throw new ToolCallException(ToolFailureKind.Transient, $"{what}.") { Status = status, RetryAfter = RetryAfter(response) };
        }

        if (status is 401 or 403)
        {
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"{what}: the connection's credentials were refused. An Admin must check the connection's secrets.") { Status = status };
        }

        if (status >= 400)
        {
            var (excerpt, _, _) = await ReadCappedAsync(response.Content, ExcerptChars * 4, ct);
            var text = Decode(response.Content.Headers.ContentType, excerpt);
            text = text.Length > ExcerptChars ? text[..ExcerptChars] + "…" : text;
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"{what}. Correct the request. Response: {text}") { Status = status };
        }

        var headers = new JsonObject();
        foreach (var name in DefaultResponseHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                headers[name] = string.Join(", ", values);
            }
        }

        var result = new JsonObject
        {
            ["status"] = status,
            ["reason"] = response.ReasonPhrase,
            ["url"] = url.AbsoluteUri,
            ["headers"] = headers,
        };
        if (method == "HEAD")
        {
            return result;
        }

        var (bytes, length, truncated) = await ReadCappedAsync(response.Content, cap, ct);
        var contentType = response.Content.Headers.ContentType;
        result["bytes"] = length;
        if (!IsText(contentType))
        {
            result["body"] = null;
            result["note"] = $"A {contentType?.MediaType} body of {(truncated ? "more than " : "")}{length:N0} bytes is not shown.";
            return result;
        }

        var decoded = Decode(contentType, bytes.AsSpan(0, length).ToArray());
        result["body"] = !truncated && IsJson(contentType) && TryParse(decoded) is { } json ? json : decoded;
        if (truncated)
        {
            result["truncated"] = true;
            result["note"] = $"The body is longer than {cap:N0} bytes; only the first {cap:N0} were read. Ask for less (filters, paging).";
        }

        return result;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Reads at most <paramref name="cap"/> bytes (one more to know whether there was more); the rest is never read.</summary>
    private static async Task<(byte[] Bytes, int Length, bool Truncated)> ReadCappedAsync(HttpContent content, int cap, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(cap + 1);
        try
        {
            var read = 0;
            while (read <= cap)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read, cap + 1 - read), ct);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return (buffer.AsSpan(0, Math.Min(read, cap)).ToArray(), Math.Min(read, cap), read > cap);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsText(MediaTypeHeaderValue? type) => type?.MediaType is not { } media
        || media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || IsJson(type)
        || media.EndsWith("xml", StringComparison.OrdinalIgnoreCase)
        || media.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
        || media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(MediaTypeHeaderValue? type) => type?.MediaType is { } media
        && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static string Decode(MediaTypeHeaderValue? type, byte[] bytes)
    {
        Encoding encoding;
        try
        {
            encoding = type?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(bytes);
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
