using AgentConsole.Engine.Access;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Access;

public sealed class ApiKeyServiceTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private ApiKeyService Keys => _db.Get<ApiKeyService>();

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Create_ReturnsSecretOnce_AndStoresOnlyItsHash()
    {
        var created = await Keys.CreateAsync("CRM sync", Roles.Owner, "admin");

        Assert.StartsWith("ac_", created.Secret, StringComparison.Ordinal);
        Assert.True(created.Secret.Length >= 40);
        await using var db = await _db.Contexts.CreateDbContextAsync();
        var stored = await db.ApiKeys.SingleAsync();
        Assert.NotEqual(created.Secret, stored.Hash);
        Assert.DoesNotContain(created.Secret, stored.Hash, StringComparison.Ordinal);
        Assert.Equal(64, stored.Hash.Length);
        Assert.Equal(created.Secret[..11], stored.Prefix);
    }

    [Fact]
    public async Task Authenticate_AcceptsValidKey_WithItsRole()
    {
        var created = await Keys.CreateAsync("Reporting", Roles.Manager, "admin");

        var result = await Keys.AuthenticateAsync(created.Secret);

        Assert.Equal(ApiKeyCheck.Valid, result.Check);
        Assert.Equal(Roles.Manager, result.Key!.Role);
    }

    [Fact]
    public async Task Authenticate_RejectsUnknownAndEmptyKeys()
    {
        await Keys.CreateAsync("Reporting", Roles.Manager, "admin");

        Assert.Equal(ApiKeyCheck.Unknown, (await Keys.AuthenticateAsync("ac_not-a-real-key")).Check);
        Assert.Equal(ApiKeyCheck.Unknown, (await Keys.AuthenticateAsync("")).Check);
        Assert.Equal(ApiKeyCheck.Unknown, (await Keys.AuthenticateAsync(new string('x', 600))).Check);
    }

    [Fact]
    public async Task Authenticate_ReportsRevoked_AfterRevoke()
    {
        var created = await Keys.CreateAsync("Old script", Roles.Owner, "admin");

        Assert.True(await Keys.RevokeAsync(created.Key.Id, "admin"));

        var result = await Keys.AuthenticateAsync(created.Secret);
        Assert.Equal(ApiKeyCheck.Revoked, result.Check);
        Assert.Equal("admin", (await Keys.ListAsync()).Single().RevokedBy);
    }

    [Fact]
    public async Task Revoke_ReturnsFalse_ForUnknownKey()
    {
        Assert.False(await Keys.RevokeAsync(Guid.NewGuid(), "admin"));
    }

    [Fact]
    public async Task Authenticate_UpdatesLastUsed_AtMostOncePerMinute()
    {
        var created = await Keys.CreateAsync("Poller", Roles.Reviewer, "admin");
        var start = _db.Time.GetUtcNow();

        await Keys.AuthenticateAsync(created.Secret);
        _db.Time.Advance(TimeSpan.FromSeconds(30));
        await Keys.AuthenticateAsync(created.Secret);
        var afterThirtySeconds = (await Keys.ListAsync()).Single().LastUsedAt;
        _db.Time.Advance(TimeSpan.FromSeconds(45));
        await Keys.AuthenticateAsync(created.Secret);
        var afterSeventyFive = (await Keys.ListAsync()).Single().LastUsedAt;

        Assert.Equal(start, afterThirtySeconds);
        Assert.Equal(start.AddSeconds(75), afterSeventyFive);
    }

    [Fact]
    public async Task Create_RejectsUnknownRole_AndEmptyName()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Keys.CreateAsync("x", "Superuser", "admin"));
        await Assert.ThrowsAsync<ArgumentException>(() => Keys.CreateAsync("  ", Roles.Owner, "admin"));
    }
}
