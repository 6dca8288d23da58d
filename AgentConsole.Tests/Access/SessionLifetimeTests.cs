using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Web;
using AgentConsole.Access;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Access;

/// <summary>A session ends at the absolute lifetime (default 12 h) after sign-in, however busy it is.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class SessionLifetimeTests(ConsoleHostFixture host)
{
    private static readonly TimeSpan Lifetime = new AccessOptions().SessionAbsoluteLifetime;

    [Fact]
    public void Defaults_AreOneMinuteStampCheck_EightHourSlidingAndTwelveHourAbsoluteLifetime()
    {
        var defaults = new AccessOptions();

        Assert.Equal(TimeSpan.FromMinutes(1), defaults.SecurityStampValidationInterval);
        Assert.Equal(TimeSpan.FromHours(8), defaults.SessionIdleTimeout);
        Assert.Equal(TimeSpan.FromHours(12), defaults.SessionAbsoluteLifetime);
    }

    [Fact]
    public async Task ValidatePrincipal_EndsTheSession_OnceTheAbsoluteLifetimeHasPassed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var stamps = new CountingStampValidator();
        var (http, properties) = await SignInAsync(clock, stamps);

        clock.Advance(Lifetime - TimeSpan.FromMinutes(1));
        var early = ValidateContext(http, properties);
        await SessionValidation.OnValidatePrincipalAsync(early);

        clock.Advance(TimeSpan.FromMinutes(1));
        var late = ValidateContext(http, properties);
        await SessionValidation.OnValidatePrincipalAsync(late);

        Assert.NotNull(early.Principal);
        Assert.Null(late.Principal);
        // The stamp is still checked while the session is young; an expired one is refused without it.
        Assert.Equal(1, stamps.Calls);
    }

    [Fact]
    public async Task ValidatePrincipal_TellsTheCircuitWhenTheSessionBegan_SoItEndsOnTimeToo()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var (http, properties) = await SignInAsync(clock, new CountingStampValidator());
        var request = ValidateContext(http, properties);
        await SessionValidation.OnValidatePrincipalAsync(request);
        var circuitUser = request.Principal!;

        var young = SessionValidation.IsWithinLifetime(circuitUser, clock.GetUtcNow() + Lifetime - TimeSpan.FromSeconds(1), Lifetime);
        var old = SessionValidation.IsWithinLifetime(circuitUser, clock.GetUtcNow() + Lifetime, Lifetime);

        Assert.True(young);
        Assert.False(old);
        Assert.False(SessionValidation.IsWithinLifetime(Principal(), clock.GetUtcNow(), Lifetime));
    }

    [Fact]
    public async Task SigningIn_KeepsTheFirstSignInTime_WhenTheSessionIsRefreshed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var (http, properties) = await SignInAsync(clock, new CountingStampValidator());
        var first = SessionValidation.SignedInAt(properties);

        clock.Advance(TimeSpan.FromHours(3));
        await SignInAgainAsync(http, properties);

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero), first);
        Assert.Equal(first, SessionValidation.SignedInAt(properties));
    }

    [Fact]
    public async Task Cookie_IsRefusedOnPageAndApi_WhenSignedInLongerThanTheAbsoluteLifetime()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Manager);
        var now = DateTimeOffset.UtcNow;

        ReplaceSignInTime(session, now - Lifetime + TimeSpan.FromMinutes(5));
        using var young = await session.Client.GetAsync("/api/v1/agents");
        Assert.Equal(HttpStatusCode.OK, young.StatusCode);

        ReplaceSignInTime(session, now - Lifetime - TimeSpan.FromMinutes(1));
        var old = session.AuthCookie!.Value;
        using var page = await session.Client.GetAsync("/agents");
        session.Cookies.Add(session.Client.BaseAddress!, new Cookie(AccessExtensions.AuthCookieName, old));
        using var api = await session.Client.GetAsync("/api/v1/agents");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var target = new Uri(session.Client.BaseAddress!, page.Headers.Location!);
        Assert.Equal("/login", target.AbsolutePath);
        Assert.Equal("1", HttpUtility.ParseQueryString(target.Query)["expired"]);
        await ProblemJson.ReadAsync(api, HttpStatusCode.Unauthorized);
    }

    private static readonly AuthenticationScheme Scheme = new(IdentityConstants.ApplicationScheme, null, typeof(CookieAuthenticationHandler));

    /// <summary>Rewrites the sign-in time inside the real cookie, with the host's own data-protection keys.</summary>
    private void ReplaceSignInTime(CookieSession session, DateTimeOffset signedInAt)
    {
        var format = host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme).TicketDataFormat;
        var ticket = format.Unprotect(session.AuthCookie!.Value) ?? throw new InvalidOperationException("The auth cookie did not decrypt.");
        ticket.Properties.Items[SessionValidation.SignedInAtItem] = signedInAt.ToString("O", CultureInfo.InvariantCulture);
        session.Cookies.Add(session.Client.BaseAddress!, new Cookie(AccessExtensions.AuthCookieName, format.Protect(ticket)));
    }

    private static async Task<(DefaultHttpContext Http, AuthenticationProperties Properties)> SignInAsync(TimeProvider clock, ISecurityStampValidator stamps)
    {
        var http = HttpContextWith(clock, stamps);
        var properties = new AuthenticationProperties();
        await SignInAgainAsync(http, properties);
        return (http, properties);
    }

    private static Task SignInAgainAsync(HttpContext http, AuthenticationProperties properties) =>
        SessionValidation.OnSigningInAsync(new CookieSigningInContext(
            http, Scheme, new CookieAuthenticationOptions(), Principal(), properties, new CookieOptions()));

    private static ClaimsPrincipal Principal() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone@tests.local")], IdentityConstants.ApplicationScheme));

    private static CookieValidatePrincipalContext ValidateContext(HttpContext http, AuthenticationProperties properties) =>
        new(http, Scheme, new CookieAuthenticationOptions(), new AuthenticationTicket(Principal(), properties.Clone(), Scheme.Name));

    private static DefaultHttpContext HttpContextWith(TimeProvider clock, ISecurityStampValidator stamps)
    {
        var services = new ServiceCollection()
            .AddSingleton(clock)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(Options.Create(new AccessOptions()))
            .AddSingleton(stamps)
            .AddSingleton<IAuthenticationService, NoAuthenticationService>()
            .BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services };
    }

    private sealed class CountingStampValidator : ISecurityStampValidator
    {
        public int Calls { get; private set; }

        public Task ValidateAsync(CookieValidatePrincipalContext context)
        {
            Calls++;
            return Task.CompletedTask;
        }
    }

    private sealed class NoAuthenticationService : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) => Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
    }
}
