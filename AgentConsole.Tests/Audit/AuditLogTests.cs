using System.ComponentModel.DataAnnotations;
using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Audit;

public sealed class AuditLogTests
{
    [Fact]
    public void SerializePayload_BlanksSecretLookingProperties_AtAnyDepth()
    {
        var json = AuditLog.SerializePayload(new
        {
            email = "a@example.com",
            password = "hunter2",
            nested = new { apiKey = "ac_123", clientSecret = "s", newPassword = "p", tokensIn = 120, keyPrefix = "ac_12345" },
            list = new[] { new { token = "t" } },
        });

        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.DoesNotContain("ac_123\"", json, StringComparison.Ordinal);
        Assert.Contains("\"password\":\"[redacted]\"", json, StringComparison.Ordinal);
        Assert.Contains("\"clientSecret\":\"[redacted]\"", json, StringComparison.Ordinal);
        Assert.Contains("\"token\":\"[redacted]\"", json, StringComparison.Ordinal);
        Assert.Contains("\"tokensIn\":120", json, StringComparison.Ordinal);
        Assert.Contains("\"keyPrefix\":\"ac_12345\"", json, StringComparison.Ordinal);
        Assert.Contains("a@example.com", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_CommitsWithTheCallersChanges_AndNotWithout()
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = db.Get<AuditLog>();
        await using (var ctx = await db.Contexts.CreateDbContextAsync())
        {
            log.Record(ctx, new AuditEntry(AuditCategory.Configuration, "x", AuditActor.System, "never saved"));
            // Disposed without SaveChanges: the action did not happen, so neither did its event.
        }

        await using (var ctx = await db.Contexts.CreateDbContextAsync())
        {
            log.Record(ctx, new AuditEntry(AuditCategory.Configuration, "x", AuditActor.System, "saved"));
            await ctx.SaveChangesAsync();
        }

        await db.Get<AuditChain>().SealPendingAsync();
        await using var check = await db.Contexts.CreateDbContextAsync();
        Assert.Equal(["saved"], await check.AuditEvents.Select(e => e.Summary).ToListAsync());
    }

    [Fact]
    public async Task Record_TruncatesLongSummaries_AndFlattensLineBreaks()
    {
        await using var db = await TestDatabase.CreateAsync();

        await db.Get<AuditLog>().RecordAsync(new AuditEntry(AuditCategory.Human, "x", AuditActor.System, "line\nbreak " + new string('x', 900)));
        await db.Get<AuditChain>().SealPendingAsync();

        await using var check = await db.Contexts.CreateDbContextAsync();
        var summary = await check.AuditEvents.Select(e => e.Summary).SingleAsync();
        Assert.Equal(AuditLog.SummaryMaxLength, summary.Length);
        Assert.StartsWith("line break", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(89, false)]
    [InlineData(90, true)]
    [InlineData(2557, true)]
    [InlineData(2558, false)]
    public void Options_BoundRetention_Between90DaysAnd7Years(int days, bool valid)
    {
        var options = new AuditOptions { RetentionDays = days, CategoryRetentionDays = { ["Security"] = days } };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Equal(2, errors.Count);
        }
    }

    [Fact]
    public void Options_RejectUnknownCategories_AndShortKeys()
    {
        var options = new AuditOptions { HmacKey = "short", CategoryRetentionDays = { ["Billing"] = 365 } };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.Contains("Billing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("HmacKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_UseCategoryOverride_ElseTheDefault()
    {
        var options = new AuditOptions { RetentionDays = 120, CategoryRetentionDays = { ["Security"] = 2557 } };

        Assert.Equal(2557, options.RetentionFor(AuditCategory.Security));
        Assert.Equal(120, options.RetentionFor(AuditCategory.Model));
    }
}
