using System.Net;
using System.Web;
using AgentConsole.Access;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Access;

/// <summary>Signing in with the static SSR login form over plain HTTP, and what a cookie session may reach.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class CookieSignInTests(ConsoleHostFixture host)
{
    private const string Password = "Tested-Pass-2026!";

    [Fact]
    public async Task LoginPage_RendersSignInForm_ForAnonymousVisitor()
    {
        using var session = CookieSession.Anonymous(host);

        using var response = await session.Client.GetAsync("/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"_handler\" value=\"login\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Input.Email\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Input.Password\"", html, StringComparison.Ordinal);
        Assert.NotEmpty(CookieSession.AntiforgeryToken(html));
        Assert.Null(CookieSession.ErrorOf(html));
    }

    [Fact]
    public async Task SignIn_RedirectsHomeAndSetsAuthCookie_WithCorrectPassword()
    {
        var (email, password) = ConsoleHostFixture.SignInFor(Roles.Owner);
        using var session = CookieSession.Anonymous(host);

        using var response = await session.SubmitLoginAsync(email, password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", Resolve(session, response).AbsolutePath);
        var cookie = session.AuthCookie;
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly);
        using var page = await session.Client.GetAsync("/agents");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task SignIn_RedirectsToReturnUrl_WhenItIsLocal()
    {
        var (email, password) = ConsoleHostFixture.SignInFor(Roles.Owner);
        using var session = CookieSession.Anonymous(host);

        using var response = await session.SubmitLoginAsync(email, password, returnUrl: "/agents");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/agents", Resolve(session, response).AbsolutePath);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/phish")]
    [InlineData("/\\evil.example")]
    public async Task SignIn_RedirectsHome_WhenReturnUrlPointsElsewhere(string returnUrl)
    {
        var (email, password) = ConsoleHostFixture.SignInFor(Roles.Owner);
        using var session = CookieSession.Anonymous(host);

        using var response = await session.SubmitLoginAsync(email, password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = Resolve(session, response);
        Assert.Equal(host.BaseAddress.Authority, target.Authority);
        Assert.Equal("/", target.AbsolutePath);
    }

    [Fact]
    public async Task SignIn_ShowsInvalidEmailOrPassword_WithWrongPassword()
    {
        var email = await CreateUserAsync("wrong");
        using var session = CookieSession.Anonymous(host);

        using var response = await session.SubmitLoginAsync(email, "Not-The-Password-1!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Invalid email or password.", CookieSession.ErrorOf(await response.Content.ReadAsStringAsync()));
        Assert.Null(session.AuthCookie);
    }

    [Fact]
    public async Task SignIn_ShowsInvalidEmailOrPassword_ForUnknownEmail()
    {
        using var session = CookieSession.Anonymous(host);

        using var response = await session.SubmitLoginAsync($"nobody-{Guid.NewGuid():N}@tests.local", Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Invalid email or password.", CookieSession.ErrorOf(await response.Content.ReadAsStringAsync()));
        Assert.Null(session.AuthCookie);
    }

    [Fact]
    public async Task SignIn_LocksTheAccount_AfterFiveWrongPasswords()
    {
        var email = await CreateUserAsync("lockout");
        using var session = CookieSession.Anonymous(host);
        var messages = new List<string?>();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await session.SubmitLoginAsync(email, $"Wrong-Pass-{attempt}!x");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            messages.Add(CookieSession.ErrorOf(await wrong.Content.ReadAsStringAsync()));
        }

        Assert.All(messages.Take(4), m => Assert.Equal("Invalid email or password.", m));
        Assert.StartsWith("Too many failed sign-ins", messages[4], StringComparison.Ordinal);

        // Even the right password is refused while the lockout lasts.
        using var right = await session.SubmitLoginAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.StartsWith("Too many failed sign-ins", CookieSession.ErrorOf(await right.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(session.AuthCookie);
    }

    // Changed deliberately (issue 10): this used to answer "This account is disabled" to the right password, which let
    // anyone test a disabled account's password without limit. Now the right password answers like a wrong one.
    [Fact]
    public async Task SignIn_AnswersLikeAWrongPassword_WhenDisabledUserGivesCorrectPassword()
    {
        var email = await CreateUserAsync("disabled", disabled: true);
        using var session = CookieSession.Anonymous(host);

        using var response = await session.SubmitLoginAsync(email, Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Invalid email or password.", CookieSession.ErrorOf(await response.Content.ReadAsStringAsync()));
        Assert.Null(session.AuthCookie);
    }

    [Fact]
    public async Task SignIn_DoesNotRevealDisabledAccount_ToWrongPassword()
    {
        var email = await CreateUserAsync("disabled-probe", disabled: true);
        using var session = CookieSession.Anonymous(host);

        using var response = await session.SubmitLoginAsync(email, "Not-The-Password-1!");

        Assert.Equal("Invalid email or password.", CookieSession.ErrorOf(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task SignIn_IsRejected_WithoutAntiforgeryToken()
    {
        var (email, password) = ConsoleHostFixture.SignInFor(Roles.Owner);
        using var session = CookieSession.Anonymous(host);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

        using var response = await session.Client.PostAsync("/login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(session.AuthCookie);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndSaysSoOnTheLoginPage()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Manager);
        using var page = await session.Client.GetAsync("/login");
        var token = CookieSession.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        using var response = await session.Client.PostAsync("/logout", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = Resolve(session, response);
        Assert.Equal("/login", target.AbsolutePath);
        Assert.Equal("1", HttpUtility.ParseQueryString(target.Query)["signedOut"]);
        Assert.Null(session.AuthCookie);
        using var agents = await session.Client.GetAsync("/agents");
        Assert.Equal(HttpStatusCode.Redirect, agents.StatusCode);
        Assert.Equal("/login", Resolve(session, agents).AbsolutePath);
    }

    [Fact]
    public async Task UnknownPage_Returns404NotFoundPage_ToSignedInUser()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Manager);

        using var response = await session.Client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtectedPage_RedirectsAnonymousVisitorToLogin_WithReturnUrl()
    {
        using var session = CookieSession.Anonymous(host);

        using var response = await session.Client.GetAsync("/agents");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = Resolve(session, response);
        Assert.Equal("/login", target.AbsolutePath);
        var query = HttpUtility.ParseQueryString(target.Query);
        Assert.Equal("/agents", query["ReturnUrl"]);
        Assert.Null(query["expired"]);
    }

    [Fact]
    public async Task SettingsPage_RedirectsReviewerToAccessDenied()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Reviewer);

        using var response = await session.Client.GetAsync("/settings");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/access-denied", Resolve(session, response).AbsolutePath);
    }

    [Fact]
    public async Task ApiCall_Succeeds_WithSignedInCookie()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Manager);

        using var response = await session.Client.GetAsync("/api/v1/agents");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ApiCall_Returns403ProblemJson_WhenCookieRoleMayNotEdit()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Reviewer);
        using var content = new StringContent("""{"key":"reviewer-made","name":"x"}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await session.Client.PostAsync("/api/v1/agents", content);

        await ProblemJson.ReadAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ApiCall_Returns401ProblemJson_WhenAuthCookieIsGarbage()
    {
        using var session = CookieSession.Anonymous(host);
        session.Cookies.Add(host.BaseAddress, new Cookie(AccessExtensions.AuthCookieName, "garbage-not-a-ticket"));

        using var response = await session.Client.GetAsync("/api/v1/agents");

        await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Page_RedirectsToLoginWithExpiredFlag_WhenAuthCookieIsGarbage()
    {
        using var session = CookieSession.Anonymous(host);
        session.Cookies.Add(host.BaseAddress, new Cookie(AccessExtensions.AuthCookieName, "garbage-not-a-ticket"));

        using var response = await session.Client.GetAsync("/agents");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = Resolve(session, response);
        Assert.Equal("/login", target.AbsolutePath);
        var query = HttpUtility.ParseQueryString(target.Query);
        Assert.Equal("/agents", query["ReturnUrl"]);
        Assert.Equal("1", query["expired"]);

        using var login = await session.Client.GetAsync(target);
        Assert.Contains("Your session has ended", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Uri Resolve(CookieSession session, HttpResponseMessage response) =>
        new(session.Client.BaseAddress!, response.Headers.Location ?? throw new InvalidOperationException("No Location header."));

    /// <summary>A user of its own, so failed sign-ins never lock out the seeded demo users other tests rely on.</summary>
    private async Task<string> CreateUserAsync(string purpose, bool disabled = false)
    {
        var users = host.Services.GetRequiredService<UserAdministration>();
        var email = $"{purpose}-{Guid.NewGuid():N}@tests.local";
        var created = await users.CreateAsync(email, purpose, [Roles.Reviewer], Password, "tests");
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        if (disabled)
        {
            var id = (await users.ListAsync()).Single(u => u.Email == email).Id;
            var changed = await users.SetDisabledAsync(id, disabled: true, "tests");
            Assert.True(changed.Succeeded, string.Join(" ", changed.Errors));
        }

        return email;
    }
}
