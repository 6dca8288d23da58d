using System.Security.Claims;

namespace AgentConsole.Access;

public static class ActorExtensions
{
    public const string ApiKeyIdClaim = "agentconsole:api_key_id";

    /// <summary>Who is acting, as recorded on changes: the user's email or "api-key:name".</summary>
    public static string ActorName(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyIdClaim) is not null
            ? $"api-key:{user.Identity?.Name}"
            : user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown";

    public static IReadOnlyList<string> RoleNames(this ClaimsPrincipal user) =>
        [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct()];
}
