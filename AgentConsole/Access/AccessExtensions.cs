using AgentConsole.Api;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

public static class AccessExtensions
{
    private const string SmartScheme = "CookieOrApiKey";
    public const string AuthCookieName = ".AgentConsole.Auth";

    /// <summary>Cookie sign-in for people, bearer API keys for scripts, one set of policies for both.</summary>
    public static IServiceCollection AddConsoleAccess(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        new IdentityBuilder(typeof(AppUser), typeof(IdentityRole), services)
            .AddSignInManager<AppSignInManager>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SmartScheme;
                options.DefaultChallengeScheme = SmartScheme;
                options.DefaultForbidScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or API key", options =>
                // A webhook's bearer token is its trigger's secret, not an API key: looking it up would count as a
                // failed API key against the sender's address.
                options.ForwardDefaultSelector = context =>
                    ApiKeyAuthenticationHandler.TryReadBearer(context.Request, out _) && !Triggers.WebhookEndpoints.IsWebhookRequest(context.Request)
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestThrottle>();
        // AddIdentityCore registers no stamp validator; without it the cookie could never be checked against the user.
        services.TryAddScoped<ISecurityStampValidator, SecurityStampValidator<AppUser>>();
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<AccessOptions>, TimeProvider>((options, access, time) =>
        {
            options.ValidationInterval = access.Value.SecurityStampValidationInterval;
            options.TimeProvider = time;
        });

        services.AddAntiforgery(options => options.HeaderName = ApiAntiforgery.HeaderName);
        services.AddOptions<AntiforgeryOptions>().Configure<IHostEnvironment>((options, environment) =>
            options.Cookie.SecurePolicy = SecurePolicy(environment));

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = AuthCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = "/login";
            options.LogoutPath = "/logout";
            options.AccessDeniedPath = "/access-denied";
            options.SlidingExpiration = true;
            // Replacing Events drops the handlers Identity set, so the security-stamp check is put back explicitly.
            options.Events = new CookieAuthenticationEvents
            {
                OnSigningIn = SessionValidation.OnSigningInAsync,
                OnValidatePrincipal = SessionValidation.OnValidatePrincipalAsync,
                OnRedirectToLogin = context =>
                {
                    if (Problems.IsApiRequest(context.HttpContext))
                    {
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        return Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
                            "Sign in or send an API key as 'Authorization: Bearer <key>'.");
                    }

                    // A cookie that no longer authenticates means the session ended; say so on the login page.
                    var redirect = context.Request.Cookies.ContainsKey(AuthCookieName)
                        ? context.RedirectUri + "&expired=1"
                        : context.RedirectUri;
                    context.Response.Redirect(redirect);
                    return Task.CompletedTask;
                },
                OnRedirectToAccessDenied = context =>
                {
                    if (Problems.IsApiRequest(context.HttpContext))
                    {
                        return Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                            "Your role does not allow this operation.");
                    }

                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                },
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccessOptions>, IHostEnvironment, TimeProvider>((options, access, environment, time) =>
            {
                options.ExpireTimeSpan = access.Value.SessionIdleTimeout;
                options.Cookie.SecurePolicy = SecurePolicy(environment);
                options.TimeProvider = time;
            });

        services.AddAuthorization(Policies.Register);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/logout", async (SignInManager<AppUser> signIn, AuditLog audit, HttpContext http, [FromForm] string? returnUrl) =>
            {
                var actor = http.User.ActorName();
                await signIn.SignOutAsync();
                await audit.RecordAsync(new AuditEntry(AuditCategory.Security, "signout", AuditActor.User(actor), $"{actor} signed out"));
                return TypedResults.LocalRedirect("/login?signedOut=1");
            })
            .RequireAuthorization(Policies.AnyRole)
            .ExcludeFromDescription();
        return endpoints;
    }

    // Outside Development the cookies that carry a session never travel over plain HTTP.
    private static CookieSecurePolicy SecurePolicy(IHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
}
