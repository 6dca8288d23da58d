using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentConsole.Api;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>Accepts <c>Authorization: Bearer &lt;key&gt;</c> with a key an Admin created.</summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys,
    AuditLog audit,
    RequestThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureItem = "agentconsole:api_key_failure";
    private const string ThrottledItem = "agentconsole:api_key_throttled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBearer(Request, out var secret))
        {
            return AuthenticateResult.NoResult();
        }

        // An address that keeps presenting bad keys is refused before the lookup, so keys cannot be guessed at speed.
        var ip = Context.Connection.RemoteIpAddress;
        var throttled = throttle.CheckApiKey(ip);
        if (!throttled.Allowed)
        {
            LogThrottled(Logger, Request.Path.Value ?? "");
            Context.Items[ThrottledItem] = throttled;
            return AuthenticateResult.Fail("Too many failed API-key authentications from this address.");
        }

        var result = await keys.AuthenticateAsync(secret, Context.RequestAborted);
        if (result.Check != ApiKeyCheck.Valid)
        {
            throttle.CountFailedApiKey(ip);
        }

        switch (result.Check)
        {
            case ApiKeyCheck.Valid:
                var key = result.Key!;
                var identity = new ClaimsIdentity(
                    [
                        new Claim(ClaimTypes.NameIdentifier, $"api-key:{key.Id}"),
                        new Claim(ClaimTypes.Name, key.Name),
                        new Claim(ClaimTypes.Role, key.Role),
                        new Claim(ActorExtensions.ApiKeyIdClaim, key.Id.ToString()),
                    ],
                    SchemeName);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
            case ApiKeyCheck.Revoked:
                LogRevokedKey(Logger, result.Key!.Prefix, Request.Path.Value ?? "");
                await audit.RecordAsync(new AuditEntry(AuditCategory.Security, "api-key.rejected",
                    new AuditActor(AuditActorType.ApiKey, result.Key.Name),
                    $"Revoked API key '{result.Key.Name}' ({result.Key.Prefix}…) used for {Request.Method} {Request.Path}",
                    new { result.Key.Id, result.Key.Prefix, method = Request.Method, path = Request.Path.Value }), Context.RequestAborted);
                Context.Items[FailureItem] = "The API key has been revoked.";
                return AuthenticateResult.Fail("The API key has been revoked.");
            default:
                LogUnknownKey(Logger, Request.Path.Value ?? "");
                Context.Items[FailureItem] = "The API key is not valid.";
                return AuthenticateResult.Fail("The API key is not valid.");
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledItem] is ThrottleResult throttled)
        {
            return RequestThrottle.WriteTooManyRequestsAsync(Context, throttled,
                "Too many requests with an unknown or revoked API key from this address; wait before trying again.");
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items[FailureItem] as string ?? "Send an API key as 'Authorization: Bearer <key>'.";
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "The API key's role does not allow this operation.");

    internal static bool TryReadBearer(HttpRequest request, out string secret)
    {
        secret = "";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        secret = header["Bearer ".Length..].Trim();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoked API key {Prefix}… used for {Path}")]
    private static partial void LogRevokedKey(ILogger logger, string prefix, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key refused unchecked for {Path}: too many failed keys from this address")]
    private static partial void LogThrottled(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unknown API key used for {Path}")]
    private static partial void LogUnknownKey(ILogger logger, string path);
}
