using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers.Webhooks;

/// <summary>
/// Webhook triggers (<c>POST /hooks/{key}</c>): authenticated by an HMAC-SHA256 signature over timestamp and body
/// (<c>auth: "hmac"</c>, the default) or by the secret as a bearer token (<c>auth: "bearer"</c>); the console generates
/// the secret. Settings: <c>auth</c>, <c>rateLimitPerSecond</c>.
/// </summary>
public sealed class WebhookTriggerHandler : ITriggerKindHandler
{
    public const string Hmac = "hmac";
    public const string Bearer = "bearer";

    public TriggerKind Kind => TriggerKind.Webhook;

    public bool HasSigningSecret => true;

    public IReadOnlyList<TriggerSettingField> SettingFields { get; } =
    [
        new("auth", "Authentication", TriggerSettingType.Select, Required: true,
            Help: "hmac: the sender signs timestamp and body with the secret; bearer: the sender sends the secret as a bearer token.",
            Options: [Hmac, Bearer], Default: Hmac),
        new("rateLimitPerSecond", "Rate limit (requests per second)", TriggerSettingType.Number,
            Help: "Leave empty for the installation's default (AgentConsole:Triggers:RateLimitPerSecond)."),
    ];

    public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        var auth = settings["auth"] is JsonValue a && a.TryGetValue<string>(out var text) ? text.Trim().ToLowerInvariant() : Hmac;
        if (auth is not (Hmac or Bearer))
        {
            errors["settings.auth"] = ["Authentication is \"hmac\" (signed timestamp and body) or \"bearer\" (the secret as a bearer token)."];
        }

        settings["auth"] = auth;
        TriggerSettings.ValidateRateLimit(settings, errors);
    }

    public JsonObject SamplePayload(Trigger trigger) => new()
    {
        ["name"] = "Dana Whitfield",
        ["email"] = "dana@acme.example",
        ["company"] = "Acme GmbH",
        ["source"] = "website",
        ["industry"] = "SaaS",
        ["employees"] = 120,
        ["message"] = "We would like a demo next week.",
    };
}
