using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.BuiltIn;

namespace AgentConsole.Tests.Tools;

/// <summary>
/// The approval policy as a matrix: grant scope × autonomy level × declared tool properties → whether a call waits for
/// a person. Each expectation is a string with one character per autonomy level, from read-only research to fully
/// autonomous: 'A' needs approval, '.' runs alone.
/// </summary>
public sealed class ToolPolicyTests
{
    private static readonly AutonomyLevel[] Levels = Enum.GetValues<AutonomyLevel>();

    public static TheoryData<string, ToolScope, decimal, string> Matrix => new()
    {
        // Reads never wait, whatever they reach.
        { "read_internal", ToolScope.Read, 100m, "......" },
        { "read_external", ToolScope.Read, 100m, "......" },
        // A team notification from "internal notifications" up.
        { "notify", ToolScope.Write, 100m, "A....." },
        // Record updates from "internal record updates" up.
        { "update_record", ToolScope.Write, 100m, "AA...." },
        // External writes at "external low-stakes" and "fully autonomous"; "high-stakes with review" reviews them.
        { "send_external", ToolScope.Write, 100m, "AAA.A." },
        // Irreversible: never autonomous, not even fully autonomous.
        { "delete_record", ToolScope.Write, 100m, "AAAAAA" },
        // Costlier to undo than the threshold: never autonomous; under a higher threshold, an ordinary internal write.
        { "costly_internal", ToolScope.Write, 100m, "AAAAAA" },
        { "costly_internal", ToolScope.Write, 200m, "AA...." },
        // Exactly at the threshold is not above it.
        { "at_threshold", ToolScope.Write, 100m, "AA...." },
        { "at_threshold", ToolScope.Write, 99.99m, "AAAAAA" },
        // A read-scope grant of an irreversible external write tool only reads, so it never waits.
        { "http_call", ToolScope.Read, 100m, "......" },
        { "http_call", ToolScope.Write, 100m, "AAAAAA" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void ApprovalReason_FollowsTheDeclaredProperties_AtEveryAutonomyLevel(string key, ToolScope scope, decimal threshold, string expected)
    {
        var tool = PolicyTestConnector.All.Single(t => t.Key == key);

        var actual = new string([.. Levels.Select(level => ToolPolicy.ApprovalReason(tool, scope, level, threshold) is null ? '.' : 'A')]);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ApprovalReason_NeverHoldsBuiltIns_AtAnyLevel()
    {
        foreach (var tool in new BuiltInConnector().Tools)
        {
            Assert.All(Levels, level => Assert.Null(ToolPolicy.ApprovalReason(tool, ToolScope.Write, level)));
        }
    }

    [Theory]
    [InlineData("delete_record", AutonomyLevel.FullyAutonomous, "cannot be undone")]
    [InlineData("costly_internal", AutonomyLevel.FullyAutonomous, "costs $150 to undo, more than the $100")]
    [InlineData("update_record", AutonomyLevel.InternalNotifications, "needs autonomy level 'Internal record updates'; the agent is at 'Internal notifications'")]
    [InlineData("send_external", AutonomyLevel.ExternalHighStakesWithReview, "asks for review of external actions")]
    public void ApprovalReason_SaysWhy_InWordsAReviewerCanCheck(string key, AutonomyLevel level, string expected)
    {
        var tool = PolicyTestConnector.All.Single(t => t.Key == key);

        var reason = ToolPolicy.ApprovalReason(tool, ToolScope.Write, level, 100m);

        Assert.NotNull(reason);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ApprovalReason_HoldsACall_WhoseOwnStakesExceedTheThreshold_EvenWhereTheToolRunsAlone()
    {
        var tool = PolicyTestConnector.SendExternal;
        var stakes = new CallStakes(500m, "the account is marked high-stakes");

        Assert.Null(ToolPolicy.ApprovalReason(tool, ToolScope.Write, AutonomyLevel.FullyAutonomous, 100m));
        var reason = ToolPolicy.ApprovalReason(tool, ToolScope.Write, AutonomyLevel.FullyAutonomous, 100m, stakes);

        Assert.Equal("'send_external' costs $500 to undo (the account is marked high-stakes), more than the $100 an autonomous action may.", reason);
    }

    [Fact]
    public void ApprovalReason_KeepsTheDeclaredCost_WhenACallsStakesAreLower()
    {
        var reason = ToolPolicy.ApprovalReason(PolicyTestConnector.CostlyInternal, ToolScope.Write, AutonomyLevel.FullyAutonomous, 100m, new CallStakes(1m, "small"));

        Assert.Equal("'costly_internal' costs $150 to undo, more than the $100 an autonomous action may.", reason);
    }
}
