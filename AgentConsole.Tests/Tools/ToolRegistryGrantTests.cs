using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.BuiltIn;

namespace AgentConsole.Tests.Tools;

/// <summary>Grant validation: the same rules and the same error keys (tools[i], tools[i].scope) for the API and the editor.</summary>
public sealed class ToolRegistryGrantTests
{
    private readonly ToolRegistry _registry = new([new BuiltInConnector(), new PolicyTestConnector()]);

    private Dictionary<string, string[]> Validate(params ToolGrant?[] grants)
    {
        var errors = new Dictionary<string, string[]>();
        _registry.ValidateGrants(grants, errors);
        return errors;
    }

    private static ToolGrant Grant(string tool, ToolScope scope = ToolScope.Write) => new() { Tool = tool, Scope = scope };

    [Fact]
    public void ValidateGrants_AcceptsKnownTools_InScopesTheyHave()
    {
        var errors = Validate(Grant("read_internal", ToolScope.Read), Grant("update_record"), Grant("http_call", ToolScope.Read), Grant(" notify "));

        Assert.Empty(errors);
    }

    [Fact]
    public void ValidateGrants_RefusesAnUnknownTool_ListingTheKnownOnes()
    {
        var errors = Validate(Grant("update_record"), Grant("launch_rockets"));

        var message = Assert.Single(Assert.Single(errors, e => e.Key == "tools[1]").Value);
        Assert.Contains("Unknown tool 'launch_rockets'", message, StringComparison.Ordinal);
        Assert.Contains("update_record", message, StringComparison.Ordinal);
        Assert.DoesNotContain(BuiltInTools.Escalate, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateGrants_RefusesABuiltIn_BecauseEveryAgentHasIt()
    {
        var errors = Validate(Grant(BuiltInTools.Escalate));

        Assert.Contains("built in", Assert.Single(errors["tools[0]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateGrants_RefusesAReadScope_OfAToolThatOnlyWrites()
    {
        var errors = Validate(Grant("send_external", ToolScope.Read));

        Assert.Equal(["tools[0].scope"], errors.Keys);
        Assert.Contains("only writes", errors["tools[0].scope"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateGrants_RefusesAnUndefinedScope()
    {
        var errors = Validate(Grant("update_record", (ToolScope)7));

        Assert.Equal(["tools[0].scope"], errors.Keys);
    }

    [Fact]
    public void ValidateGrants_RefusesTheSecondGrantOfATool()
    {
        var errors = Validate(Grant("update_record"), Grant("read_internal", ToolScope.Read), Grant("update_record"));

        Assert.Equal(["tools[2]"], errors.Keys);
        Assert.Contains("granted twice", errors["tools[2]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateGrants_RefusesNullAndEmptyGrants()
    {
        var errors = Validate(null, Grant("  "));

        Assert.Equal(["tools[0]", "tools[1]"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Normalize_StoresAReadToolsWriteGrant_AsRead()
    {
        Assert.Equal(ToolScope.Read, ToolRegistry.Normalize(PolicyTestConnector.ReadInternal, ToolScope.Write));
        Assert.Equal(ToolScope.Read, ToolRegistry.Normalize(PolicyTestConnector.HttpCall, ToolScope.Read));
        Assert.Equal(ToolScope.Write, ToolRegistry.Normalize(PolicyTestConnector.HttpCall, ToolScope.Write));
    }
}
