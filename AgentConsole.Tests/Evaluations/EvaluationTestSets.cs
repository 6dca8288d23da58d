using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// Test sets for the evaluation tests, written with EF directly (the test-set service is another feature), and the
/// draft of the demo routing table that sends 11–500 employees to a person: a regression on purpose.
/// </summary>
public static class EvaluationTestSets
{
    public static TestCase MidMarket(string name, int employees) => new()
    {
        Name = name,
        Kind = TestCaseKind.Synthetic,
        InputJson = $$"""{"name":"Dana Lee","email":"dana@acme.example","company":"Acme {{employees}}","employees":{{employees}},"industry":"Software"}""",
        ExpectedDecisionsJson = """{"lead-routing":"Mid-market sequence"}""",
        MustEscalate = false,
    };

    /// <summary>Cases a correct run of the published demo configuration passes, each kind of expectation at least once.</summary>
    public static IReadOnlyList<TestCase> LeadRouterCases() =>
    [
        MidMarket("Mid-market software lead", 42),
        MidMarket("Mid-market at 120 employees", 120),
        MidMarket("Mid-market at the 500 boundary", 500),
        new()
        {
            Name = "Small shop goes to the SMB sequence",
            Kind = TestCaseKind.Synthetic,
            InputJson = """{"name":"Jo Smith","email":"jo@corner.example","company":"Corner Shop","employees":4,"industry":"Retail"}""",
            ExpectedDecisionsJson = """{"lead-routing":{"route":"SMB sequence"}}""",
            MustEscalate = false,
            MustCall = ["crm_update_lead"],
        },
        new()
        {
            Name = "Enterprise lead goes to a person",
            Kind = TestCaseKind.Edge,
            InputJson = """{"name":"Sam Park","email":"sam@bigbank.example","company":"Big Bank","employees":1200,"industry":"Banking"}""",
            ExpectedDecisionsJson = """{"lead-routing":"Human review"}""",
            MustEscalate = true,
            MustNotCall = ["crm_update_lead"],
        },
        new()
        {
            Name = "A lead without an email is refused",
            Kind = TestCaseKind.Adversarial,
            InputJson = """{"name":"No Mail","company":"Nowhere","employees":12}""",
            ExpectRejected = true,
        },
    ];

    public static async Task<Guid> CreateAsync(IServiceProvider services, string agentKey, IReadOnlyList<TestCase> cases, string? name = null, bool isDefault = false)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var set = new TestSet
        {
            Id = Guid.NewGuid(),
            AgentKey = agentKey,
            Name = name ?? "Evaluation tests " + Guid.NewGuid().ToString("N")[..8],
            IsDefault = isDefault,
            CreatedAt = now,
            CreatedBy = "tests",
            UpdatedAt = now,
            UpdatedBy = "tests",
        };
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            c.Id = Guid.NewGuid();
            c.Sequence = i + 1;
            c.CreatedAt = now;
            c.UpdatedAt = now;
            c.CreatedBy = "tests";
            set.Cases.Add(c);
        }

        db.TestSets.Add(set);
        await db.SaveChangesAsync();
        return set.Id;
    }

    /// <summary>
    /// Saves the demo table's draft with 11–500 employees routed to human review. Its own saved test cases are changed
    /// with it (the mid-market ones removed), as an owner who "fixed" the table would; only the agent's test set notices.
    /// </summary>
    public static async Task<int> SaveRegressedRoutingDraftAsync(IServiceProvider services, string key = DemoWorkspace.LeadRoutingKey)
    {
        var catalog = services.GetRequiredService<DecisionCatalog>();
        var current = await catalog.LoadAsync(key, DecisionCatalog.Published) ?? throw new InvalidOperationException("No published routing table.");
        var table = (DecisionTableDefinition)current.Model.Decisions[0];
        var rules = table.Rules.Select(r => r.OutputEntries[0] == "\"Mid-market sequence\"" ? r with { OutputEntries = ["\"Human review\""] } : r).ToArray();
        var saved = await catalog.SaveDraftAsync(key, current.Model with { Decisions = [table with { Rules = [.. rules] }] }, null, "owner@example.com");
        Assert.True(saved.Succeeded, saved.Message);
        foreach (var test in (await catalog.ListTestCasesAsync(key)).Where(t => t.ExpectedJson.Contains("Mid-market", StringComparison.Ordinal)))
        {
            await catalog.DeleteTestCaseAsync(key, test.Id, "owner@example.com");
        }

        return saved.Decision!.Version.Number;
    }
}
