using AgentConsole.Components.Shared;
using Bunit;

namespace AgentConsole.Tests.Components;

public sealed class ToolCountBadgeTests : MudTestContext
{
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Badge_IsSilent_UpToEightTools(int count)
    {
        var badge = Render<ToolCountBadge>(p => p.Add(b => b.Count, count));

        Assert.Empty(badge.FindAll("[data-testid^=tool-count]"));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(15)]
    public void Badge_WarnsAboveEightTools_ThatTypicalAgentsHaveFourToEight(int count)
    {
        var badge = Render<ToolCountBadge>(p => p.Add(b => b.Count, count));

        Assert.Equal($"{count} tools: typical agents have 4–8", badge.Find("[data-testid=tool-count-warning]").TextContent.Trim());
        Assert.Empty(badge.FindAll("[data-testid=tool-count-split]"));
    }

    [Fact]
    public void Badge_SaysSplitThisAgent_AboveFifteenTools()
    {
        var badge = Render<ToolCountBadge>(p => p.Add(b => b.Count, 16));

        Assert.Equal("16 tools: split this agent", badge.Find("[data-testid=tool-count-split]").TextContent.Trim());
    }
}
