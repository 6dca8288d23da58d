using System.Net;
using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;

namespace AgentConsole.Tests.Access;

/// <summary>Every navigation target, requested by every role with a real cookie session: served exactly when its policy allows the role.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class PageAuthorizationTests(ConsoleHostFixture host)
{
    public static TheoryData<string, string> RolesAndPages()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in Roles.All)
        {
            foreach (var item in Navigation.Items)
            {
                data.Add(role, item.Href);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RolesAndPages))]
    public async Task NavigationPage_IsServedOnlyWhenPolicyAllowsTheRole(string role, string href)
    {
        var item = Navigation.Items.Single(i => i.Href == href);
        using var session = await CookieSession.SignInAsync(host, role);

        using var response = await session.Client.GetAsync(href);

        if (Policies.Allows(item.Policy, [role]))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("data-testid=\"access-denied\"", html, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/access-denied", Resolve(session, response).AbsolutePath);
        }
    }

    [Fact]
    public async Task HangfireDashboard_RedirectsAnonymousVisitorToLogin()
    {
        using var session = CookieSession.Anonymous(host);

        using var response = await session.Client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = Resolve(session, response);
        Assert.Equal("/login", target.AbsolutePath);
        Assert.Contains("ReturnUrl=%2Fhangfire", target.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Owner)]
    public async Task HangfireDashboard_RedirectsNonAdminToAccessDenied(string role)
    {
        using var session = await CookieSession.SignInAsync(host, role);

        using var response = await session.Client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/access-denied", Resolve(session, response).AbsolutePath);
    }

    [Fact]
    public async Task HangfireDashboard_IsServedToAdmin()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Admin);

        using var response = await session.Client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("AgentConsole jobs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Uri Resolve(CookieSession session, HttpResponseMessage response) =>
        new(session.Client.BaseAddress!, response.Headers.Location ?? throw new InvalidOperationException("No Location header."));
}
