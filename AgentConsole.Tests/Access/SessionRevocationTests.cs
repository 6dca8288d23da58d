using System.Net;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Access;

/// <summary>
/// A cookie taken before an Admin disables a user, resets a password or removes a role stops working after it, on a
/// page, on the API and on /hangfire. The test host checks the security stamp on every request (interval zero).
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class SessionRevocationTests(ConsoleHostFixture host)
{
    private const string Password = "Revoked-Pass-2026!";

    private UserAdministration Users => host.Services.GetRequiredService<UserAdministration>();

    [Theory]
    [InlineData("disable")]
    [InlineData("reset-password")]
    [InlineData("remove-role")]
    public async Task Cookie_IsRefusedOnPageApiAndHangfire_AfterTheAdminChangesTheUser(string change)
    {
        var (id, session) = await SignedInAdminAsync(change);
        using var _ = session;
        await AssertAdminSessionWorksAsync(session);

        // A removed role ends the session too (the stamp changes); the next sign-in carries only the roles left.
        var result = change switch
        {
            "disable" => await Users.SetDisabledAsync(id, disabled: true, "tests"),
            "reset-password" => await Users.ResetPasswordAsync(id, "Brand-New-Pass-2026!", "tests"),
            _ => await Users.SetRolesAsync(id, [Roles.Reviewer], "tests"),
        };
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));

        await AssertSessionEndedAsync(session);
    }

    private async Task<(string Id, CookieSession Session)> SignedInAdminAsync(string purpose)
    {
        var email = $"{purpose}-{Guid.NewGuid():N}@tests.local";
        var created = await Users.CreateAsync(email, purpose, [Roles.Admin], Password, "tests");
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        var id = (await Users.ListAsync()).Single(u => u.Email == email).Id;
        return (id, await CookieSession.SignInAsync(host, email, Password));
    }

    private static async Task AssertAdminSessionWorksAsync(CookieSession session)
    {
        using var page = await session.Client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var api = await session.Client.GetAsync("/api/v1/agents");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        using var hangfire = await session.Client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, hangfire.StatusCode);
    }

    private static async Task AssertSessionEndedAsync(CookieSession session)
    {
        // Keep the old cookie even if the server answers with one that deletes it: an attacker would.
        var stolen = session.AuthCookie!.Value;

        using var page = await WithCookieAsync(session, stolen, "/settings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", PathOf(session, page));
        using var api = await WithCookieAsync(session, stolen, "/api/v1/agents");
        await ProblemJson.ReadAsync(api, HttpStatusCode.Unauthorized);
        using var hangfire = await WithCookieAsync(session, stolen, "/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, hangfire.StatusCode);
        Assert.Equal("/login", PathOf(session, hangfire));
    }

    private static async Task<HttpResponseMessage> WithCookieAsync(CookieSession session, string cookie, string path)
    {
        session.Cookies.Add(session.Client.BaseAddress!, new Cookie(AgentConsole.Access.AccessExtensions.AuthCookieName, cookie));
        return await session.Client.GetAsync(path);
    }

    private static string PathOf(CookieSession session, HttpResponseMessage response) =>
        new Uri(session.Client.BaseAddress!, response.Headers.Location ?? throw new InvalidOperationException("No Location header.")).AbsolutePath;
}
