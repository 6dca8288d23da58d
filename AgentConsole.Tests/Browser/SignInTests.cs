using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The static sign-in form and what an anonymous visitor can reach.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class SignInTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private const string InvalidCredentials = "Invalid email or password.";
    private const string Anonymous = "anonymous";

    [Fact]
    public async Task Root_RedirectsToLogin_WhenAnonymous()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);

        await session.Page.GotoAsync("/");

        await Expect(session.Page).ToHaveURLAsync(BrowserSession.LoginUrl());
        await Expect(session.Page.Locator("#email")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#password")).ToBeVisibleAsync();
        await Expect(session.Page.GetByTestId("nav")).ToHaveCountAsync(0);
        await session.ScreenshotAsync(Anonymous, "login");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SignIn_ShowsInvalidCredentials_WhenPasswordIsWrong()
    {
        var (email, _) = ConsoleHostFixture.SignInFor(Roles.Manager);
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.Page.GotoAsync("/login");

        await session.SubmitLoginAsync(email, "not-the-password-" + Guid.NewGuid().ToString("N"));

        await Expect(session.Page.GetByTestId("login-error")).ToHaveTextAsync(InvalidCredentials);
        await Expect(session.Page).ToHaveURLAsync(BrowserSession.LoginUrl());
        await Expect(session.Page.Locator("#email")).ToHaveValueAsync(email);
        await Expect(session.Page.Locator("#password")).ToHaveValueAsync("");
        await session.ScreenshotAsync(Anonymous, "login-error");

        // Still anonymous: the console sends the visitor back to the form.
        await session.Page.GotoAsync("/agents");
        await Expect(session.Page).ToHaveURLAsync(BrowserSession.LoginUrl());
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SignIn_ShowsSameMessage_WhenUserIsUnknown()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.Page.GotoAsync("/login");

        await session.SubmitLoginAsync($"nobody-{Guid.NewGuid():N}@agentconsole.local", ConsoleHostFixture.DemoPassword);

        // The same words as for a wrong password, so the form does not reveal which accounts exist.
        await Expect(session.Page.GetByTestId("login-error")).ToHaveTextAsync(InvalidCredentials);
        await Expect(session.Page).ToHaveURLAsync(BrowserSession.LoginUrl());
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SignIn_ShowsFieldMessages_WhenFormIsEmpty()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.Page.GotoAsync("/login");

        await session.Page.GetByTestId("sign-in").ClickAsync();

        await Expect(session.Page.Locator(".validation-message")).ToHaveTextAsync(["Enter your email.", "Enter your password."]);
        await Expect(session.Page.GetByTestId("login-error")).ToHaveCountAsync(0);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SignIn_ReturnsToTheRequestedPage()
    {
        var (email, password) = ConsoleHostFixture.SignInFor(Roles.Manager);
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.Page.GotoAsync("/audit");
        await Expect(session.Page).ToHaveURLAsync(BrowserSession.LoginUrl());

        await session.SubmitLoginAsync(email, password);

        await Expect(session.Page).ToHaveURLAsync(BrowserSession.PathIs("/audit"));
        await session.WaitForInteractiveAsync();
        await Expect(session.Heading).ToHaveTextAsync("Audit log");
        session.AssertNoBrowserErrors();
    }
}
