using AgentConsole.Engine.Triggers;

namespace AgentConsole.Triggers;

/// <summary>The public addresses of triggers, shared by the API and the pages.</summary>
public static class TriggerLinks
{
    /// <summary>
    /// Where events come in from outside: <c>/hooks/{key}</c> for kinds that authenticate with a signing secret,
    /// <c>/forms/{key}</c> for web forms; null for kinds the console polls or schedules itself.
    /// </summary>
    public static string? PublicUrl(Trigger trigger, TriggerCatalog catalog, string baseUri)
    {
        var root = baseUri.TrimEnd('/');
        return trigger.Kind == TriggerKind.Form ? $"{root}/forms/{trigger.Key}"
            : catalog.Handler(trigger.Kind) is { HasSigningSecret: true } ? $"{root}/hooks/{trigger.Key}"
            : null;
    }

    /// <summary>A <c>curl</c> command that posts a signed sample event, for the one-time secret dialog and the README.</summary>
    public static string CurlExample(string url, string secret, bool bearer) => bearer
        ? $"""
           curl -X POST '{url}' \
             -H 'Authorization: Bearer {secret}' \
             -H 'Content-Type: application/json' \
             -d '{"{"}"email":"dana@acme.example","source":"website"{"}"}'
           """
        : $"""
           body='{"{"}"email":"dana@acme.example","source":"website"{"}"}'
           ts=$(date +%s)
           sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac '{secret}' | sed 's/^.* //')
           curl -X POST '{url}' \
             -H "X-AgentConsole-Timestamp: $ts" \
             -H "X-AgentConsole-Signature: sha256=$sig" \
             -H 'Content-Type: application/json' \
             -d "$body"
           """;
}
