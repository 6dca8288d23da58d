using System.Net;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Access;

/// <summary>
/// Guessing passwords through /login is slowed per account and per client address, a disabled account's password
/// cannot be probed, and the e-mail field is bounded. The test host allows 8 failures per account and 40 per address
/// a minute; each test uses an address (X-Forwarded-For from the trusted loopback proxy) and accounts of its own.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class SignInAbuseTests(ConsoleHostFixture host)
{
    private const string Password = "Abuse-Pass-2026!";
    private const int PerAccount = 8;
    private const int PerAddress = 40;

    [Fact]
    public async Task SignIn_Answers429WithRetryAfter_AfterTooManyFailuresForOneAccount()
    {
        // An unknown address is limited too: Identity's lockout only protects accounts that exist.
        var email = $"nobody-{Guid.NewGuid():N}@tests.local";
        using var session = CookieSession.Anonymous(host, CookieSession.UniqueClientAddress());
        for (var attempt = 0; attempt < PerAccount; attempt++)
        {
            using var failed = await session.SubmitLoginAsync(email, $"Guess-{attempt}-Pass!");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var refused = await session.SubmitLoginAsync(email, "Another-Guess-Pass!");
        using var otherAccount = await session.SubmitLoginAsync($"other-{Guid.NewGuid():N}@tests.local", "Another-Guess-Pass!");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 429 says when to try again.");
        Assert.StartsWith("Too many failed sign-ins", CookieSession.ErrorOf(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherAccount.StatusCode);
    }

    [Fact]
    public async Task SignIn_Answers429_AfterTooManyFailuresFromOneAddress_WhateverTheAccount()
    {
        var address = CookieSession.UniqueClientAddress();
        using var session = CookieSession.Anonymous(host, address);
        for (var attempt = 0; attempt < PerAddress; attempt++)
        {
            using var failed = await session.SubmitLoginAsync($"spray-{Guid.NewGuid():N}@tests.local", "Sprayed-Pass-2026!");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var (email, password) = ConsoleHostFixture.SignInFor(Roles.Manager);
        using var refused = await session.SubmitLoginAsync(email, password);
        using var elsewhere = CookieSession.Anonymous(host, CookieSession.UniqueClientAddress());
        using var allowed = await elsewhere.SubmitLoginAsync(email, password);

        // Even the right password waits: the address is refused before any password is checked.
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Null(session.AuthCookie);
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
    }

    [Fact]
    public async Task SignIn_LocksADisabledAccount_AfterFiveAttemptsEvenWithTheRightPassword()
    {
        var email = await CreateDisabledUserAsync();
        using var session = CookieSession.Anonymous(host, CookieSession.UniqueClientAddress());
        var messages = new List<string?>();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var response = await session.SubmitLoginAsync(email, Password);
            messages.Add(CookieSession.ErrorOf(await response.Content.ReadAsStringAsync()));
        }

        Assert.All(messages.Take(4), m => Assert.Equal("Invalid email or password.", m));
        Assert.StartsWith("Too many failed sign-ins", messages[4], StringComparison.Ordinal);
        await using var scope = host.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByEmailAsync(email);
        Assert.NotNull(user?.LockoutEnd);
    }

    [Fact]
    public async Task SignIn_ChecksNoMorePasswordsThanTheLimit_WhenGuessesArriveAllAtOnce()
    {
        // A real account, so each guess costs a password hash and the guesses overlap as an attacker's would.
        var users = host.Services.GetRequiredService<UserAdministration>();
        var email = $"concurrent-{Guid.NewGuid():N}@tests.local";
        Assert.True((await users.CreateAsync(email, "concurrent", [Roles.Reviewer], Password, "tests")).Succeeded);
        var address = CookieSession.UniqueClientAddress();
        var sessions = Enumerable.Range(0, PerAccount * 3).Select(_ => CookieSession.Anonymous(host, address)).ToList();
        try
        {
            var responses = await Task.WhenAll(sessions.Select((s, i) => Task.Run(() => s.SubmitLoginAsync(email, $"Guess-{i}-Pass-2026!"))));

            var admitted = responses.Count(r => r.StatusCode != HttpStatusCode.TooManyRequests);
            Assert.True(admitted <= PerAccount, $"{admitted} of {responses.Length} simultaneous guesses got past the limit of {PerAccount}.");
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task SignIn_ShowsAValidationMessage_WhenTheEmailIsLongerThan256Characters()
    {
        using var session = CookieSession.Anonymous(host, CookieSession.UniqueClientAddress());
        var email = new string('a', 300) + "@tests.local";

        using var response = await session.SubmitLoginAsync(email, "Whatever-Pass-2026!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("An email address has at most 256 characters.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(session.AuthCookie);
    }

    private async Task<string> CreateDisabledUserAsync()
    {
        var users = host.Services.GetRequiredService<UserAdministration>();
        var email = $"disabled-lock-{Guid.NewGuid():N}@tests.local";
        Assert.True((await users.CreateAsync(email, "disabled", [Roles.Reviewer], Password, "tests")).Succeeded);
        var id = (await users.ListAsync()).Single(u => u.Email == email).Id;
        Assert.True((await users.SetDisabledAsync(id, disabled: true, "tests")).Succeeded);
        return email;
    }
}
