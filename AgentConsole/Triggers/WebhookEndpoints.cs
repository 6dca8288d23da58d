namespace AgentConsole.Triggers;

public static class WebhookEndpoints
{
    /// <summary>Where senders post events; outside the API's cookie, API-key and antiforgery handling.</summary>
    public const string PathPrefix = "/hooks";

    /// <summary>The webhook receiver and its rate limiter.</summary>
    public static IServiceCollection AddWebhookReceiver(this IServiceCollection services)
    {
        services.AddSingleton<WebhookRateLimiter>();
        services.AddSingleton<WebhookReceiver>();
        return services;
    }

    /// <summary><c>POST /hooks/{triggerKey}</c>: anonymous, authenticated by the trigger's own signature or bearer secret.</summary>
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(PathPrefix + "/{triggerKey}", (HttpContext http, string triggerKey, WebhookReceiver receiver) => receiver.ReceiveAsync(http, triggerKey))
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Triggers")
            .WithName("ReceiveWebhook")
            .WithSummary("Deliver an event to a webhook trigger (signed with X-AgentConsole-Timestamp/-Signature or a bearer secret); 202 with the event id once stored");
        return endpoints;
    }

    /// <summary>Whether a request is a webhook delivery (its bearer token is a trigger secret, not an API key).</summary>
    public static bool IsWebhookRequest(HttpRequest request) =>
        request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);
}
