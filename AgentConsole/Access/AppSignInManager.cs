using System.Security.Claims;
using AgentConsole.Engine.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>
/// Identity's sign-in manager, plus: disabled users can neither sign in nor keep a session, and a disabled account's
/// password cannot be probed: every attempt counts toward lockout and answers like a wrong password.
/// </summary>
internal sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<SignInResult> CheckPasswordSignInAsync(AppUser user, string password, bool lockoutOnFailure)
    {
        if (!user.IsDisabled)
        {
            return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        }

        // Identity would answer NotAllowed before looking at the password, leaving the caller free to check it elsewhere
        // without limit. Hash anyway so the answer takes as long as a real check, then count a failure either way.
        await UserManager.CheckPasswordAsync(user, password);
        if (lockoutOnFailure && UserManager.SupportsUserLockout)
        {
            await UserManager.AccessFailedAsync(user);
        }

        return UserManager.SupportsUserLockout && await UserManager.IsLockedOutAsync(user) ? SignInResult.LockedOut : SignInResult.Failed;
    }

    public override async Task<AppUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsDisabled: false } ? user : null;
    }
}
