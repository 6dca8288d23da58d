using System.Security.Claims;
using AgentConsole.Engine.Access;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>
/// Rechecks a circuit's user at the security-stamp interval, so a disabled user, a reset password or changed roles
/// end an open Blazor session quickly instead of at cookie expiry, and a circuit ends at the absolute session
/// lifetime like the cookie does (a circuit never sends the cookie again).
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options,
    IOptions<AccessOptions> access,
    TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // Zero (every request, for tests) would make the circuit loop without pause.
    protected override TimeSpan RevalidationInterval =>
        access.Value.SecurityStampValidationInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : access.Value.SecurityStampValidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (!SessionValidation.IsWithinLifetime(authenticationState.User, time.GetUtcNow(), access.Value.SessionAbsoluteLifetime))
        {
            return false;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(authenticationState.User);
        if (user is null || user.IsDisabled)
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var principalStamp = authenticationState.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await users.GetSecurityStampAsync(user);
    }
}
