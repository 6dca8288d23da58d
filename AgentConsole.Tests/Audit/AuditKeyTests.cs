using System.Text.Json;
using AgentConsole.Engine;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Persistence;
using AgentConsole.Tests.Hosting;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Audit;

public sealed class AuditKeyTests
{
    private static readonly byte[] SecondKey = "second-audit-hmac-key-after-rotation-0123"u8.ToArray();

    private static (AuditLog Log, AuditChain Chain) With(TestDatabase db, AuditKey key)
    {
        var options = db.Get<IOptions<AuditOptions>>();
        var log = new AuditLog(db.Contexts, db.Time, db.Get<AuditSignal>(), key, options);
        return (log, new AuditChain(db.Contexts, key, options, log, db.Time, NullLogger<AuditChain>.Instance));
    }

    private static AuditEntry Entry(int i) =>
        new((AuditCategory)(i % 3), "test.event", AuditActor.System, $"Event {i}", new { i });

    [Fact]
    public async Task Verify_ChecksEveryEventWithTheKeyOfItsVersion_AfterARotation()
    {
        await using var db = await TestDatabase.CreateAsync();
        var v1 = (db.Get<AuditLog>(), db.Get<AuditChain>());
        await v1.Item1.RecordBatchAsync(Enumerable.Range(1, 10).Select(Entry));
        await v1.Item2.SealPendingAsync();
        // Recorded under v1 but still in the outbox when the key rotates.
        await v1.Item1.RecordBatchAsync(Enumerable.Range(11, 3).Select(Entry));

        var rotated = With(db, new AuditKey(new Dictionary<string, byte[]> { ["1"] = TestDatabase.AuditKeyBytes, ["2"] = SecondKey }, "2"));
        await rotated.Chain.SealPendingAsync();
        await rotated.Log.RecordBatchAsync(Enumerable.Range(14, 7).Select(Entry));
        var verification = await rotated.Chain.VerifyAsync();

        Assert.True(verification.Ok, verification.Reason);
        Assert.Equal(20, verification.EventsChecked);
        await using (var ctx = await db.Contexts.CreateDbContextAsync())
        {
            Assert.Equal(0, await ctx.AuditQuarantine.CountAsync());
            Assert.Equal(10, await ctx.AuditEvents.CountAsync(e => e.KeyVersion == "1"));
            Assert.Equal(10, await ctx.AuditEvents.CountAsync(e => e.KeyVersion == "2"));
        }

        var withoutV1 = With(db, new AuditKey(new Dictionary<string, byte[]> { ["2"] = SecondKey }, "2"));
        var broken = await withoutV1.Chain.VerifyAsync();

        Assert.False(broken.Ok);
        Assert.Equal(1, broken.FirstBrokenSequence);
        Assert.Contains("audit key version '1', which is not configured", broken.Reason, StringComparison.Ordinal);
        Assert.Contains("AgentConsole:Audit:Keys:1", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seal_QuarantinesARowMacdWithARetiredKey_WhenItIsWrittenAfterTheRotation()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rotated = With(db, new AuditKey(new Dictionary<string, byte[]> { ["1"] = TestDatabase.AuditKeyBytes, ["2"] = SecondKey }, "2"));
        await rotated.Chain.SealPendingAsync();
        // Whoever holds the retired key 1 (rotated out because it leaked, say) writes a row of their own with its MAC.
        var retired = With(db, new AuditKey(TestDatabase.AuditKeyBytes));
        await retired.Log.RecordAsync(new AuditEntry(AuditCategory.Security, "user.deleted", AuditActor.User("admin@agentconsole.local"),
            "Forged with the retired key"));
        await rotated.Log.RecordAsync(Entry(1));

        await rotated.Chain.SealPendingAsync();

        await using var ctx = await db.Contexts.CreateDbContextAsync();
        Assert.False(await ctx.AuditEvents.AnyAsync(e => e.Summary == "Forged with the retired key"));
        Assert.True(await ctx.AuditEvents.AnyAsync(e => e.Summary == "Event 1"));
        var quarantined = await ctx.AuditQuarantine.SingleAsync();
        Assert.Equal("Forged with the retired key", quarantined.Summary);
        Assert.Contains("retired", quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditKey_ReadsTheCurrentAndPreviousKeys_FromConfiguration()
    {
        var folder = RunHost.NewFolder();
        var fileKey = Convert.ToBase64String(TestDatabase.AuditKeyBytes);
        var options = Options.Create(new AuditOptions
        {
            HmacKey = "the-new-key-from-the-environment-0123456789",
            CurrentKeyVersion = "2",
            Keys = { ["1"] = "base64:" + fileKey },
        });

        var key = new AuditKey(options, new TestHostEnvironment(folder, Environments.Production));

        Assert.Equal("2", key.CurrentVersion);
        Assert.Equal(["1", "2"], key.Versions.Order());
        Assert.True(key.TryGet("1", out var previous));
        Assert.Equal(TestDatabase.AuditKeyBytes, previous);
        Assert.Equal("configuration", key.Source);
        Assert.False(File.Exists(Path.Combine(folder, "data", "audit-hmac.key")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("not base64 at all")]
    public void AuditKey_RefusesAnEmptyOrDamagedKeyFile_InsteadOfSealingWithAShortKey(string content)
    {
        var folder = RunHost.NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.WriteAllText(Path.Combine(folder, "data", "audit-hmac.key"), content);

        var error = Assert.Throws<InvalidConfigurationException>(() =>
            new AuditKey(Options.Create(new AuditOptions()), new TestHostEnvironment(folder, Environments.Development)));

        Assert.Contains("audit-hmac.key", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", "short", "at least 32 characters")]
    [InlineData("has space", "a-perfectly-long-enough-key-0123456789", "not a valid key version")]
    [InlineData("1", "base64:AAAA", "at least 32 bytes")]
    public void Options_RejectWeakKeysAndBadVersions_WithoutQuotingTheKey(string version, string value, string expected)
    {
        var options = new AuditOptions { Keys = { [version] = value } };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage!).ToList();

        var error = Assert.Single(errors);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_RefusesAKeyFileInTheDataFolder_OutsideDevelopment_WithOneLine()
    {
        var folder = RunHost.NewFolder();
        using var host = BuildHost(folder, Environments.Production);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("AgentConsole:Audit:AllowKeyFileInDataFolder", error.Message, StringComparison.Ordinal);
        Assert.Contains("AgentConsole__Audit__HmacKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(Path.Combine(folder, "data", "audit-hmac.key")));
    }

    [Theory]
    [InlineData("Development", null, null)]
    [InlineData("Production", "AgentConsole:Audit:AllowKeyFileInDataFolder", "true")]
    [InlineData("Production", "AgentConsole:Audit:HmacKey", "an-audit-key-from-the-environment-0123456789")]
    [InlineData("Production", "AgentConsole:Audit:KeyFile", "/run/secrets/audit-hmac.key")]
    public void KeyLocation_IsAccepted_InDevelopment_WhenAllowed_OrOutsideTheDataFolder(string environment, string? key, string? value)
    {
        var folder = RunHost.NewFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(key is null ? [] : [KeyValuePair.Create(key, value)]).Build();
        var options = configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();

        var result = new AuditKeyLocation(new TestHostEnvironment(folder, environment), configuration).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Startup_RefusesPostgres_WithoutAnAuditKeyFromConfiguration_WithOneLineNamingTheSetting(string environment)
    {
        var folder = RunHost.NewFolder();
        var connection = await SharedPostgres.NewDatabaseAsync("auditkey");
        using var host = BuildHost(folder, environment, new()
        {
            ["AgentConsole:Database:Provider"] = "Postgres",
            ["ConnectionStrings:AgentConsole"] = connection,
            ["ConnectionStrings:Hangfire"] = connection,
            // Allowing a key file in the data folder is a single-instance choice; it does not make a per-instance key safe.
            ["AgentConsole:Audit:AllowKeyFileInDataFolder"] = "true",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("AgentConsole:Audit:HmacKey must be set", error.Message, StringComparison.Ordinal);
        Assert.Contains("AgentConsole:Database:Provider is Postgres", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(Path.Combine(folder, "data", "audit-hmac.key")));
    }

    [Theory]
    [InlineData("AgentConsole:Audit:HmacKey", "an-audit-key-from-the-environment-0123456789")]
    [InlineData("AgentConsole:Audit:Keys:1", "an-audit-key-from-the-environment-0123456789")]
    public void KeyLocation_IsAcceptedOnPostgres_WhenTheKeyComesFromConfiguration(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentConsole:Database:Provider"] = "Postgres",
            ["ConnectionStrings:AgentConsole"] = "Host=db;Database=agentconsole",
            [key] = value,
        }).Build();
        var options = configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();

        var result = new AuditKeyLocation(new TestHostEnvironment(RunHost.NewFolder(), Environments.Production), configuration).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    private static IHost BuildHost(string folder, string environment, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, Args = [], EnvironmentName = environment });
        builder.Logging.ClearProviders();
        // The defaults an operator gets from appsettings.json: the database and the key file both under data/.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AgentConsole:Jobs:RunServer"] = "false" });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton(new FirstRunNotice(TextWriter.Null));
        builder.AddAgentEngine();
        return builder.Build();
    }

    [Fact]
    public async Task Record_ReplacesAnOversizePayload_WithATruncationMarker()
    {
        await using var db = await TestDatabase.CreateAsync(o => o.MaxPayloadBytes = 1024);
        var text = string.Concat(Enumerable.Repeat("ünïcödé \"quoted\" ", 400));

        await db.Get<AuditLog>().RecordAsync(new AuditEntry(AuditCategory.Tool, "tool.called", AuditActor.System, "A big one", new { text }));
        await db.Get<AuditLog>().RecordAsync(new AuditEntry(AuditCategory.Tool, "tool.called", AuditActor.System, "A small one", new { text = "fits" }));
        await db.Get<AuditChain>().SealPendingAsync();

        await using var ctx = await db.Contexts.CreateDbContextAsync();
        var big = await ctx.AuditEvents.SingleAsync(e => e.Summary == "A big one");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(big.Payload) <= 1024);
        using var marker = JsonDocument.Parse(big.Payload);
        Assert.True(marker.RootElement.GetProperty("truncated").GetBoolean());
        Assert.True(marker.RootElement.GetProperty("originalBytes").GetInt32() > 8000);
        Assert.StartsWith("{\"text\":\"ünïcödé \\\"quoted\\\"", marker.RootElement.GetProperty("preview").GetString(), StringComparison.Ordinal);
        Assert.Equal("{\"text\":\"fits\"}", (await ctx.AuditEvents.SingleAsync(e => e.Summary == "A small one")).Payload);
        Assert.True((await db.Get<AuditChain>().VerifyAsync()).Ok);
    }
}
