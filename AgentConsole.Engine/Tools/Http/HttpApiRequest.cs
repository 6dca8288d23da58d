using System.Text;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools.Http;

/// <summary>A call's arguments read into a request: method, URL with its query, the model's headers and body.</summary>
internal sealed record HttpApiRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, JsonNode? Body)
{
    public bool IsRead => Method is "GET" or "HEAD";

    public static HttpApiRequest From(ToolCall call)
    {
        var method = call.RequiredText("method").ToUpperInvariant();
        var text = call.RequiredText("url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'{text}' is not an absolute URL (e.g. https://api.example.com/v1/items).");
        }

        if (call.Arguments["query"] is JsonObject query && query.Count > 0)
        {
            var builder = new StringBuilder(url.Query.TrimStart('?'));
            foreach (var (name, value) in query)
            {
                var rendered = value switch
                {
                    JsonValue v when v.TryGetValue<string>(out var s) => s,
                    JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                    JsonValue v => v.ToJsonString(),
                    _ => throw new ToolCallException(ToolFailureKind.InvalidArguments, $"query.{name} must be a string, number or boolean."),
                };
                builder.Append(builder.Length > 0 ? "&" : "").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(rendered));
            }

            url = new UriBuilder(url) { Query = builder.ToString() }.Uri;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (call.Arguments["headers"] is JsonObject given)
        {
            foreach (var (name, value) in given)
            {
                if (!IsToken(name))
                {
                    throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'{name}' is not a valid header name.");
                }

                if (IsReserved(name))
                {
                    throw new ToolCallException(ToolFailureKind.InvalidArguments,
                        $"The header '{name}' may not be set by the agent (credentials and transport headers come from the connection and the engine).");
                }

                var headerValue = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
                if (headerValue.Any(c => c is '\r' or '\n' or '\0'))
                {
                    throw new ToolCallException(ToolFailureKind.InvalidArguments, $"The value of header '{name}' contains a line break.");
                }

                headers[name] = headerValue;
            }
        }

        var body = call.Arguments["body"]?.DeepClone();
        if (body is not null && method is "GET" or "HEAD")
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"A {method} request has no body; use query parameters, or POST.");
        }

        return new HttpApiRequest(method, url, headers, body);
    }

    /// <summary>An RFC 9110 token (header names): visible ASCII without separators.</summary>
    public static bool IsToken(string name) => name.Length is > 0 and <= 128
        && name.All(c => c is > ' ' and < '\u007f' && !"\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal));

    private static bool IsReserved(string name) =>
        name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Sec-", StringComparison.OrdinalIgnoreCase)
        || ReservedHeaderNames.Contains(name);

    private static readonly HashSet<string> ReservedHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer", "Expect",
        "Authorization", "Cookie", "Idempotency-Key",
    };
}
