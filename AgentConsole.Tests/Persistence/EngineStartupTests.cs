using System.Text.RegularExpressions;
using AgentConsole.Engine;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Persistence;

/// <summary>
/// The engine's first start on an empty database, run in a plain generic host (no web host). Hangfire's JobStorage is
/// never resolved here: it would rewire Hangfire's process-wide statics under the shared web host. On SQLite files
/// whatever AGENTCONSOLE_TEST_PROVIDER says: some assert on the database file itself (an invalid configuration leaves no
/// file behind); a first start on PostgreSQL is what every RunHost does in the PostgreSQL pass.
/// </summary>
public sealed partial class EngineStartupTests : IDisposable
{
    private const string AdminEmail = "admin@agentconsole.local";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentconsole-engine-tests", Guid.NewGuid().ToString("N"));

    public EngineStartupTests() => Directory.CreateDirectory(_folder);

    private string DatabaseFile => Path.Combine(_folder, "agentconsole.db");

    [Fact]
    public async Task FirstStart_PrintsAGeneratedAdminPasswordOnce_ThatSignsIn()
    {
        var output = new StringWriter();

        using (var host = await StartAsync(output))
        {
            var notice = output.ToString();
            var passwords = PasswordsIn(notice);
            var password = passwords[AdminEmail];
            Assert.True(password.Length >= 16, $"Generated password '{password}' is short.");
            Assert.Contains(password, char.IsUpper);
            Assert.Contains(password, char.IsLower);
            Assert.Contains(password, char.IsDigit);
            Assert.Contains(password, c => !char.IsLetterOrDigit(c));
            Assert.Single(PasswordLine().Matches(notice), m => m.Groups["email"].Value == AdminEmail);
            Assert.Equal(1, Regex.Count(notice, Regex.Escape(password)));

            await using var scope = host.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = await users.FindByEmailAsync(AdminEmail);
            Assert.NotNull(admin);
            Assert.True(await users.CheckPasswordAsync(admin, password));
            Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task FirstStart_CreatesDemoUsersAndLeadRouter_AndPrintsTheirPasswords()
    {
        var output = new StringWriter();

        using var host = await StartAsync(output);

        var passwords = PasswordsIn(output.ToString());
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (role, email, displayName) in DemoWorkspace.Users)
        {
            var user = await users.FindByEmailAsync(email);
            Assert.NotNull(user);
            Assert.Equal(displayName, user.DisplayName);
            Assert.Equal([role], await users.GetRolesAsync(user));
            Assert.True(passwords.TryGetValue(email, out var password), $"No password printed for {email}.");
            Assert.True(await users.CheckPasswordAsync(user, password));
        }

        Assert.Equal(4, passwords.Count);
        var leadRouter = await host.Services.GetRequiredService<AgentCatalog>().FindAsync(DemoWorkspace.LeadRouterKey);
        Assert.NotNull(leadRouter);
        Assert.Equal(8, leadRouter.InputFields.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task SecondStart_OnTheSameDatabase_PrintsNothingAndCreatesNothing()
    {
        var first = new StringWriter();
        string adminPassword;
        using (var host = await StartAsync(first))
        {
            adminPassword = PasswordsIn(first.ToString())[AdminEmail];
            await host.StopAsync();
        }

        var second = new StringWriter();
        using var restarted = await StartAsync(second);

        Assert.Equal("", second.ToString());
        await using var scope = restarted.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.Equal(1 + DemoWorkspace.Users.Count, await users.Users.CountAsync());
        var admin = await users.FindByEmailAsync(AdminEmail);
        Assert.NotNull(admin);
        Assert.True(await users.CheckPasswordAsync(admin, adminPassword));
        var agents = await restarted.Services.GetRequiredService<AgentCatalog>().ListAsync();
        Assert.Single(agents);
        Assert.Equal(1, agents[0].Revision);
        await restarted.StopAsync();
    }

    [Fact]
    public async Task FirstStart_WithDemoSeedOff_CreatesOnlyTheAdmin()
    {
        var output = new StringWriter();

        using var host = await StartAsync(output, ("AgentConsole:Demo:Seed", "false"));

        Assert.Null(await host.Services.GetRequiredService<AgentCatalog>().FindAsync(DemoWorkspace.LeadRouterKey));
        Assert.Empty(await host.Services.GetRequiredService<AgentCatalog>().ListAsync());
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.Equal(AdminEmail, Assert.Single(await users.Users.ToListAsync()).Email);
        Assert.Equal([AdminEmail], PasswordsIn(output.ToString()).Keys);
        await host.StopAsync();
    }

    [Fact]
    public async Task FirstStart_WithConfiguredAdminPassword_PrintsNothing()
    {
        const string configured = "Configured-Admin-2026!";
        var output = new StringWriter();

        using var host = await StartAsync(output,
            ("AgentConsole:Bootstrap:AdminPassword", configured),
            ("AgentConsole:Demo:Seed", "false"));

        Assert.Equal("", output.ToString());
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync(AdminEmail);
        Assert.NotNull(admin);
        Assert.True(await users.CheckPasswordAsync(admin, configured));
        await host.StopAsync();
    }

    [Fact]
    public async Task FirstStart_WithBootstrapApiKey_StoresAKeyThatAuthenticatesAsAdmin()
    {
        const string apiKey = "ac_bootstrap_engine_test_key_0123456789abcdef";
        var output = new StringWriter();

        using var host = await StartAsync(output, ("AgentConsole:Bootstrap:ApiKey", apiKey), ("AgentConsole:Demo:Seed", "false"));

        var keys = host.Services.GetRequiredService<ApiKeyService>();
        var result = await keys.AuthenticateAsync(apiKey);
        Assert.Equal(ApiKeyCheck.Valid, result.Check);
        Assert.Equal(Roles.Admin, result.Key!.Role);
        Assert.Equal(ApiKeyCheck.Unknown, (await keys.AuthenticateAsync(apiKey + "x")).Check);
        Assert.DoesNotContain(apiKey, output.ToString(), StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_FailsValidation_WhenBootstrapApiKeyIsShorterThan32Characters()
    {
        var output = new StringWriter();
        using var host = Build(output, ("AgentConsole:Bootstrap:ApiKey", "ac_too_short_0123456789"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("AgentConsole:Bootstrap:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
        Assert.False(File.Exists(DatabaseFile), "Start-up touched the database although its configuration was invalid.");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite connection may still hold a handle; the OS cleans the temp folder.
        }
    }

    private async Task<IHost> StartAsync(StringWriter output, params (string Key, string? Value)[] settings)
    {
        var host = Build(output, settings);
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private IHost Build(StringWriter output, params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, Args = [] });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:AgentConsole"] = $"Data Source={DatabaseFile}",
            ["ConnectionStrings:Hangfire"] = $"Data Source={Path.Combine(_folder, "hangfire.db")}",
            ["AgentConsole:Jobs:RunServer"] = "false",
            ["AgentConsole:Audit:KeyFile"] = Path.Combine(_folder, "audit-hmac.key"),
            // The host runs as Production with the key file beside the database, which production refuses by default.
            ["AgentConsole:Audit:AllowKeyFileInDataFolder"] = "true",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));

        // Registered first: AddAgentEngine only adds its console-writing notice when none exists.
        builder.Services.AddSingleton(new FirstRunNotice(output));
        builder.AddAgentEngine();
        return builder.Build();
    }

    private static Dictionary<string, string> PasswordsIn(string notice) =>
        PasswordLine().Matches(notice).ToDictionary(m => m.Groups["email"].Value, m => m.Groups["secret"].Value);

    [GeneratedRegex(@"^\s+(?<who>\w+)\s+(?<email>\S+@\S+)\s+password: (?<secret>\S+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordLine();
}
