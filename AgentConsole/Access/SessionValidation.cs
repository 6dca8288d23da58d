using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>
/// What every request's cookie must pass: the absolute session lifetime, then Identity's security-stamp check (a
/// disabled user, a reset password or a changed role ends the session within the validation interval).
/// </summary>
internal static partial class SessionValidation
{
    /// <summary>When the person signed in; kept in the ticket's properties, which sliding renewals and stamp refreshes carry over.</summary>
    internal const string SignedInAtItem = ".agentconsole.signed-in-at";

    /// <summary>The same time as a claim of the request's user, so a Blazor circuit (which sees no cookie) can end on time too.</summary>
    internal const string SignedInAtClaim = "agentconsole:signed_in_at";

    public static Task OnSigningInAsync(CookieSigningInContext context)
    {
        // A refresh of an existing session (security stamp, roles) passes the old properties: keep its sign-in time.
        if (!context.Properties.Items.ContainsKey(SignedInAtItem))
        {
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            context.Properties.Items[SignedInAtItem] = now.ToString("O", CultureInfo.InvariantCulture);
        }

        return Task.CompletedTask;
    }

    public static async Task OnValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var lifetime = services.GetRequiredService<IOptions<AccessOptions>>().Value.SessionAbsoluteLifetime;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        // A ticket without a sign-in time predates the absolute lifetime; it gets no exemption.
        if (SignedInAt(context.Properties) is not { } signedInAt || now - signedInAt >= lifetime)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionValidation));
            LogSessionExpired(logger, context.Principal?.Identity?.Name ?? "unknown", lifetime);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
        // The stamp check may have swapped in a fresh principal; the claim goes on whichever one this request carries.
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var stale in identity.FindAll(SignedInAtClaim).ToList())
            {
                identity.RemoveClaim(stale);
            }

            identity.AddClaim(new Claim(SignedInAtClaim, signedInAt.ToString("O", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Whether a circuit's user is still within the absolute lifetime; a principal without the claim is not.</summary>
    internal static bool IsWithinLifetime(ClaimsPrincipal user, DateTimeOffset now, TimeSpan lifetime) =>
        DateTimeOffset.TryParse(user.FindFirstValue(SignedInAtClaim), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt)
        && now - signedInAt < lifetime;

    internal static DateTimeOffset? SignedInAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(SignedInAtItem, out var value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Session of {User} ended: older than the absolute lifetime {Lifetime}")]
    private static partial void LogSessionExpired(ILogger logger, string user, TimeSpan lifetime);
}
