using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Access;

public sealed record UserSummary(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool IsDisabled,
    bool IsLockedOut,
    DateTimeOffset CreatedAt);

/// <summary>The outcome of a user change; <see cref="GeneratedPassword"/> is set when the console chose the password.</summary>
public sealed record UserChangeResult(bool Succeeded, IReadOnlyList<string> Errors, string? GeneratedPassword = null)
{
    public static UserChangeResult Ok(string? generatedPassword = null) => new(true, [], generatedPassword);

    public static UserChangeResult Fail(params IEnumerable<string> errors) => new(false, [.. errors]);
}

/// <summary>
/// What Admins do to users. Each call opens its own DI scope so a long-lived Blazor circuit
/// never holds one DbContext (and its stale change tracker) for its whole life.
/// </summary>
public sealed partial class UserAdministration(
    IServiceScopeFactory scopes,
    AuditLog audit,
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    TimeProvider time,
    ILogger<UserAdministration> logger)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().ToListAsync(ct);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name ?? "", ct);
        var userRoles = await db.UserRoles.AsNoTracking().ToListAsync(ct);
        var now = time.GetUtcNow();
        return [.. users
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => new UserSummary(
                u.Id,
                u.Email ?? u.UserName ?? "",
                u.DisplayName,
                [.. userRoles.Where(r => r.UserId == u.Id).Select(r => roleNames.GetValueOrDefault(r.RoleId, "")).Order(StringComparer.Ordinal)],
                u.IsDisabled,
                u.LockoutEnd is { } end && end > now,
                u.CreatedAt))];
    }

    public async Task<UserChangeResult> CreateAsync(
        string email, string displayName, IReadOnlyCollection<string> roles, string? password, string actor, CancellationToken ct = default)
    {
        email = email.Trim();
        var errors = new List<string>();
        if (email.Length == 0)
        {
            errors.Add("Email is required.");
        }

        if (roles.Count == 0)
        {
            errors.Add("Choose at least one role.");
        }

        errors.AddRange(roles.Where(r => !Roles.IsKnown(r)).Select(r => $"Unknown role '{r}'."));
        if (errors.Count > 0)
        {
            return UserChangeResult.Fail(errors);
        }

        var generated = string.IsNullOrEmpty(password) ? PasswordGenerator.Generate() : null;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(),
            CreatedAt = time.GetUtcNow(),
        };
        audit.Record(scope.ServiceProvider.GetRequiredService<AgentConsoleDbContext>(), new AuditEntry(
            AuditCategory.Security, "user.created", AuditActor.Parse(actor), $"User {email} created with role(s) {string.Join(", ", roles)}",
            new { email, displayName = user.DisplayName, roles }));
        var created = await users.CreateAsync(user, password is { Length: > 0 } ? password : generated!);
        if (!created.Succeeded)
        {
            return UserChangeResult.Fail(created.Errors.Select(e => e.Description));
        }

        var added = await users.AddToRolesAsync(user, roles);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return UserChangeResult.Fail(added.Errors.Select(e => e.Description));
        }

        LogUserCreated(logger, email, roles, actor);
        return UserChangeResult.Ok(generated);
    }

    public Task<UserChangeResult> SetRolesAsync(string userId, IReadOnlyCollection<string> roles, string actor, CancellationToken ct = default) =>
        WithUserAsync(userId, async (users, user, db) =>
        {
            if (roles.Count == 0)
            {
                return UserChangeResult.Fail("A user needs at least one role; disable the user instead.");
            }

            var unknown = roles.Where(r => !Roles.IsKnown(r)).ToList();
            if (unknown.Count > 0)
            {
                return UserChangeResult.Fail(unknown.Select(r => $"Unknown role '{r}'."));
            }

            var current = await users.GetRolesAsync(user);
            if (current.Contains(Roles.Admin) && !roles.Contains(Roles.Admin) && await IsLastActiveAdminAsync(users, user))
            {
                return UserChangeResult.Fail("This is the last active Admin; make someone else Admin first.");
            }

            Audit(db, "user.roles-changed", actor, $"Roles of {user.Email} changed from {string.Join(", ", current)} to {string.Join(", ", roles)}",
                new { email = user.Email, from = current, to = roles });
            var removed = await users.RemoveFromRolesAsync(user, current.Except(roles));
            var added = removed.Succeeded ? await users.AddToRolesAsync(user, roles.Except(current)) : removed;
            if (!added.Succeeded)
            {
                return UserChangeResult.Fail(added.Errors.Select(e => e.Description));
            }

            // A new stamp makes signed-in sessions pick up the new roles at their next revalidation.
            await users.UpdateSecurityStampAsync(user);
            LogRolesChanged(logger, user.Email ?? userId, roles, actor);
            return UserChangeResult.Ok();
        });

    public Task<UserChangeResult> SetDisabledAsync(string userId, bool disabled, string actor, CancellationToken ct = default) =>
        WithUserAsync(userId, async (users, user, db) =>
        {
            if (disabled && await users.IsInRoleAsync(user, Roles.Admin) && await IsLastActiveAdminAsync(users, user))
            {
                return UserChangeResult.Fail("This is the last active Admin and cannot be disabled.");
            }

            user.IsDisabled = disabled;
            Audit(db, disabled ? "user.disabled" : "user.enabled", actor, $"User {user.Email} {(disabled ? "disabled" : "enabled")}", new { email = user.Email });
            var result = await users.UpdateAsync(user);
            if (result.Succeeded)
            {
                await users.UpdateSecurityStampAsync(user);
                LogDisabledChanged(logger, user.Email ?? userId, disabled, actor);
            }

            return result.Succeeded ? UserChangeResult.Ok() : UserChangeResult.Fail(result.Errors.Select(e => e.Description));
        });

    /// <summary>Sets a new password (or generates one), clears any lockout and ends existing sessions.</summary>
    public Task<UserChangeResult> ResetPasswordAsync(string userId, string? newPassword, string actor, CancellationToken ct = default) =>
        WithUserAsync(userId, async (users, user, db) =>
        {
            var generated = string.IsNullOrEmpty(newPassword) ? PasswordGenerator.Generate() : null;
            var password = generated ?? newPassword!;
            // Validate before removing the old password so a rejected one never leaves the user without any.
            foreach (var validator in users.PasswordValidators)
            {
                var valid = await validator.ValidateAsync(users, user, password);
                if (!valid.Succeeded)
                {
                    return UserChangeResult.Fail(valid.Errors.Select(e => e.Description));
                }
            }

            Audit(db, "user.password-reset", actor, $"Password of {user.Email} reset{(generated is null ? "" : " to a generated one")}",
                new { email = user.Email, generated = generated is not null });
            var removed = await users.RemovePasswordAsync(user);
            var result = removed.Succeeded ? await users.AddPasswordAsync(user, password) : removed;
            if (!result.Succeeded)
            {
                return UserChangeResult.Fail(result.Errors.Select(e => e.Description));
            }

            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            LogPasswordReset(logger, user.Email ?? userId, actor);
            return UserChangeResult.Ok(generated);
        });

    /// <summary>
    /// Runs a change with the scope's UserManager and DbContext; audit entries added to that context commit
    /// with the first save Identity's store makes for the change.
    /// </summary>
    private async Task<UserChangeResult> WithUserAsync(
        string userId, Func<UserManager<AppUser>, AppUser, AgentConsoleDbContext, Task<UserChangeResult>> change)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AgentConsoleDbContext>();
        var user = await users.FindByIdAsync(userId);
        return user is null ? UserChangeResult.Fail("That user no longer exists.") : await change(users, user, db);
    }

    private void Audit(AgentConsoleDbContext db, string action, string actor, string summary, object payload) =>
        audit.Record(db, new AuditEntry(AuditCategory.Security, action, AuditActor.Parse(actor), summary, payload));

    private static async Task<bool> IsLastActiveAdminAsync(UserManager<AppUser> users, AppUser user)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return !admins.Any(a => a.Id != user.Id && !a.IsDisabled);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Email} created with roles {Roles} by {Actor}")]
    private static partial void LogUserCreated(ILogger logger, string email, IEnumerable<string> roles, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Roles of {Email} set to {Roles} by {Actor}")]
    private static partial void LogRolesChanged(ILogger logger, string email, IEnumerable<string> roles, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Email} disabled={Disabled} by {Actor}")]
    private static partial void LogDisabledChanged(ILogger logger, string email, bool disabled, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password of {Email} reset by {Actor}")]
    private static partial void LogPasswordReset(ILogger logger, string email, string actor);
}
