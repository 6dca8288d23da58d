using AgentConsole.Engine.Access;
using AgentConsole.Tests.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Access;

public sealed class UserAdministrationTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private UserAdministration Users => _db.Get<UserAdministration>();

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<bool> PasswordWorksAsync(string email, string password)
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await manager.FindByEmailAsync(email);
        return user is not null && await manager.CheckPasswordAsync(user, password);
    }

    [Fact]
    public async Task Create_GeneratesAStrongPassword_WhenNoneGiven()
    {
        var result = await Users.CreateAsync("ana@example.com", "Ana", [Roles.Owner], null, "admin");

        Assert.True(result.Succeeded);
        Assert.NotNull(result.GeneratedPassword);
        Assert.True(result.GeneratedPassword.Length >= 20);
        Assert.True(await PasswordWorksAsync("ana@example.com", result.GeneratedPassword));
        var listed = (await Users.ListAsync()).Single();
        Assert.Equal(["Owner"], listed.Roles);
        Assert.Equal("Ana", listed.DisplayName);
    }

    [Fact]
    public async Task Create_ReportsIdentityErrors_ForWeakPasswordAndDuplicateEmail()
    {
        var weak = await Users.CreateAsync("bo@example.com", "Bo", [Roles.Owner], "short", "admin");
        await Users.CreateAsync("cy@example.com", "Cy", [Roles.Owner], null, "admin");
        var duplicate = await Users.CreateAsync("cy@example.com", "Cy again", [Roles.Owner], null, "admin");

        Assert.False(weak.Succeeded);
        Assert.Contains(weak.Errors, e => e.Contains("at least 10", StringComparison.Ordinal));
        Assert.False(duplicate.Succeeded);
        Assert.Single(await Users.ListAsync());
    }

    [Fact]
    public async Task Create_RejectsUnknownRoleAndMissingRole()
    {
        Assert.False((await Users.CreateAsync("d@example.com", "D", ["Root"], null, "admin")).Succeeded);
        Assert.False((await Users.CreateAsync("e@example.com", "E", [], null, "admin")).Succeeded);
        Assert.Empty(await Users.ListAsync());
    }

    [Fact]
    public async Task SetDisabled_RefusesToDisableTheLastActiveAdmin()
    {
        await Users.CreateAsync("root@example.com", "Root", [Roles.Admin], null, "system");
        var admin = (await Users.ListAsync()).Single();

        var result = await Users.SetDisabledAsync(admin.Id, true, "root@example.com");

        Assert.False(result.Succeeded);
        Assert.False((await Users.ListAsync()).Single().IsDisabled);
    }

    [Fact]
    public async Task SetRoles_RefusesToDemoteTheLastActiveAdmin_ButAllowsItWithAnotherAdmin()
    {
        await Users.CreateAsync("root@example.com", "Root", [Roles.Admin], null, "system");
        var root = (await Users.ListAsync()).Single();

        var refused = await Users.SetRolesAsync(root.Id, [Roles.Owner], "root@example.com");
        await Users.CreateAsync("second@example.com", "Second", [Roles.Admin], null, "root@example.com");
        var allowed = await Users.SetRolesAsync(root.Id, [Roles.Owner], "second@example.com");

        Assert.False(refused.Succeeded);
        Assert.True(allowed.Succeeded);
        Assert.Equal(["Owner"], (await Users.ListAsync()).Single(u => u.Id == root.Id).Roles);
    }

    [Fact]
    public async Task SetDisabled_DisablesAndEnables()
    {
        await Users.CreateAsync("root@example.com", "Root", [Roles.Admin], null, "system");
        await Users.CreateAsync("rev@example.com", "Rev", [Roles.Reviewer], null, "root");
        var reviewer = (await Users.ListAsync()).Single(u => u.Email == "rev@example.com");

        Assert.True((await Users.SetDisabledAsync(reviewer.Id, true, "root")).Succeeded);
        Assert.True((await Users.ListAsync()).Single(u => u.Id == reviewer.Id).IsDisabled);
        Assert.True((await Users.SetDisabledAsync(reviewer.Id, false, "root")).Succeeded);
        Assert.False((await Users.ListAsync()).Single(u => u.Id == reviewer.Id).IsDisabled);
    }

    [Fact]
    public async Task ResetPassword_KeepsOldPassword_WhenNewOneIsRejected()
    {
        await Users.CreateAsync("fay@example.com", "Fay", [Roles.Manager], "Original-Pass-1", "admin");
        var fay = (await Users.ListAsync()).Single();

        var rejected = await Users.ResetPasswordAsync(fay.Id, "weak", "admin");

        Assert.False(rejected.Succeeded);
        Assert.True(await PasswordWorksAsync("fay@example.com", "Original-Pass-1"));
    }

    [Fact]
    public async Task ResetPassword_GeneratesNewPassword_AndClearsLockout()
    {
        await Users.CreateAsync("gus@example.com", "Gus", [Roles.Manager], "Original-Pass-1", "admin");
        await using (var scope = _db.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await manager.FindByEmailAsync("gus@example.com");
            await manager.SetLockoutEndDateAsync(user!, _db.Time.GetUtcNow().AddHours(1));
        }

        var gus = (await Users.ListAsync()).Single();
        Assert.True(gus.IsLockedOut);
        var result = await Users.ResetPasswordAsync(gus.Id, null, "admin");

        Assert.True(result.Succeeded);
        Assert.True(await PasswordWorksAsync("gus@example.com", result.GeneratedPassword!));
        Assert.False(await PasswordWorksAsync("gus@example.com", "Original-Pass-1"));
        Assert.False((await Users.ListAsync()).Single().IsLockedOut);
    }

    [Fact]
    public async Task Changes_ReportMissingUser()
    {
        Assert.False((await Users.SetDisabledAsync("missing", true, "admin")).Succeeded);
        Assert.False((await Users.SetRolesAsync("missing", [Roles.Owner], "admin")).Succeeded);
        Assert.False((await Users.ResetPasswordAsync("missing", null, "admin")).Succeeded);
    }
}
