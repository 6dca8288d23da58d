using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Persistence;

namespace AgentConsole.Tests.Agents;

public sealed class AgentCatalogTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private AgentCatalog Catalog => _db.Get<AgentCatalog>();

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Create_StoresDefinition_WithAuthorTimestampAndFirstRevision()
    {
        var result = await Catalog.CreateAsync(DemoWorkspace.LeadRouter(), "owner@example.com");

        Assert.Equal(AgentSaveOutcome.Saved, result.Outcome);
        var stored = await Catalog.FindAsync("lead-router");
        Assert.NotNull(stored);
        Assert.Equal("Inbound lead router", stored.Name);
        Assert.Equal(1, stored.Revision);
        Assert.Equal("owner@example.com", stored.CreatedBy);
        Assert.Equal(_db.Time.GetUtcNow(), stored.CreatedAt);
        Assert.Equal(8, stored.InputFields.Count);
        Assert.Equal(InputFieldType.Number, stored.InputFields.Single(f => f.Name == "employees").Type);
    }

    [Fact]
    public async Task Create_NormalizesKeyToLowerCase()
    {
        var definition = new AgentDefinition { Key = "  Invoice-Triage ", Name = "Invoice triage" };

        var result = await Catalog.CreateAsync(definition, "owner");

        Assert.Equal("invoice-triage", result.Agent!.Key);
        Assert.NotNull(await Catalog.FindAsync("INVOICE-TRIAGE"));
    }

    [Fact]
    public async Task Create_ReturnsConflict_WhenKeyExists()
    {
        await Catalog.CreateAsync(DemoWorkspace.LeadRouter(), "owner");

        var again = await Catalog.CreateAsync(DemoWorkspace.LeadRouter(), "owner");

        Assert.Equal(AgentSaveOutcome.Conflict, again.Outcome);
        Assert.Contains("already exists", again.Message, StringComparison.Ordinal);
        Assert.Single(await Catalog.ListAsync());
    }

    [Fact]
    public async Task Create_ReturnsErrors_AndStoresNothing_WhenInvalid()
    {
        var result = await Catalog.CreateAsync(new AgentDefinition { Key = "x", Name = "", MaxSteps = 0 }, "owner");

        Assert.Equal(AgentSaveOutcome.Invalid, result.Outcome);
        Assert.Contains("key", result.Errors.Keys);
        Assert.Contains("name", result.Errors.Keys);
        Assert.Contains("maxSteps", result.Errors.Keys);
        Assert.Empty(await Catalog.ListAsync());
    }

    [Fact]
    public async Task Update_BumpsRevision_AndRecordsEditor()
    {
        await Catalog.CreateAsync(DemoWorkspace.LeadRouter(), "system");
        var edit = DemoWorkspace.LeadRouter();
        edit.Status = AgentStatus.Live;
        edit.MaxSteps = 20;
        _db.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await Catalog.UpdateAsync("lead-router", edit, expectedRevision: 1, "owner@example.com");

        Assert.Equal(AgentSaveOutcome.Saved, result.Outcome);
        var stored = await Catalog.FindAsync("lead-router");
        Assert.Equal(2, stored!.Revision);
        Assert.Equal(AgentStatus.Live, stored.Status);
        Assert.Equal(20, stored.MaxSteps);
        Assert.Equal("owner@example.com", stored.UpdatedBy);
        Assert.Equal(_db.Time.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal("system", stored.CreatedBy);
    }

    [Fact]
    public async Task Update_ReturnsConflict_AndKeepsStoredVersion_WhenRevisionIsStale()
    {
        await Catalog.CreateAsync(DemoWorkspace.LeadRouter(), "system");
        var first = DemoWorkspace.LeadRouter();
        first.Name = "First editor";
        await Catalog.UpdateAsync("lead-router", first, 1, "alice");
        var second = DemoWorkspace.LeadRouter();
        second.Name = "Second editor";

        var result = await Catalog.UpdateAsync("lead-router", second, 1, "bob");

        Assert.Equal(AgentSaveOutcome.Conflict, result.Outcome);
        Assert.Contains("alice", result.Message, StringComparison.Ordinal);
        Assert.Equal("First editor", (await Catalog.FindAsync("lead-router"))!.Name);
    }

    [Fact]
    public async Task Update_RejectsKeyChange()
    {
        await Catalog.CreateAsync(DemoWorkspace.LeadRouter(), "system");
        var edit = DemoWorkspace.LeadRouter();
        edit.Key = "lead-router-2";

        var result = await Catalog.UpdateAsync("lead-router", edit, null, "owner");

        Assert.Equal(AgentSaveOutcome.Invalid, result.Outcome);
        Assert.Contains("key", result.Errors.Keys);
        Assert.Null(await Catalog.FindAsync("lead-router-2"));
    }

    [Fact]
    public async Task Update_ReturnsNotFound_ForUnknownKey()
    {
        var result = await Catalog.UpdateAsync("nope", DemoWorkspace.LeadRouter(), null, "owner");

        Assert.Equal(AgentSaveOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task List_OrdersAgentsByName()
    {
        await Catalog.CreateAsync(new AgentDefinition { Key = "zeta", Name = "Zeta" }, "o");
        await Catalog.CreateAsync(new AgentDefinition { Key = "alpha", Name = "Alpha" }, "o");

        var names = (await Catalog.ListAsync()).Select(a => a.Name);

        Assert.Equal(["Alpha", "Zeta"], names);
    }
}
