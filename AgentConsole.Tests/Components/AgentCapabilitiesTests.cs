using AgentConsole.Components.Pages.Agents;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.BuiltIn;
using AgentConsole.Tests.Tools;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>The agent page's capabilities: per grant, whether a call waits for approval at the agent's level, and why.</summary>
public sealed class AgentCapabilitiesTests : MudTestContext
{
    public AgentCapabilitiesTests()
        : base(services => services.AddSingleton(new ToolRegistry([new BuiltInConnector(), new PolicyTestConnector()])))
    {
    }

    [Fact]
    public void Capabilities_SayPerGrant_WhetherACallNeedsApproval_AndWhy()
    {
        var agent = new Agent
        {
            Key = "caps",
            Name = "Caps",
            AutonomyLevel = AutonomyLevel.InternalNotifications,
            Tools = [ToolGrant.For(PolicyTestConnector.ReadInternal), ToolGrant.For(PolicyTestConnector.Notify), ToolGrant.For(PolicyTestConnector.UpdateRecord), new ToolGrant { Tool = "gone_tool" }],
        };

        var view = Render<AgentCapabilities>(p => p.Add(c => c.Agent, agent).Add(c => c.ApprovalThresholdUsd, 100m));

        Assert.NotEmpty(view.FindAll("tr[data-tool=read_internal] [data-testid=runs-alone]"));
        Assert.NotEmpty(view.FindAll("tr[data-tool=notify] [data-testid=runs-alone]"));
        Assert.NotEmpty(view.FindAll("tr[data-tool=update_record] [data-testid=needs-approval]"));
        Assert.Equal(
            ToolPolicy.ApprovalReason(PolicyTestConnector.UpdateRecord, ToolScope.Write, AutonomyLevel.InternalNotifications, 100m),
            view.Find("tr[data-tool=update_record] [data-testid=approval-reason]").TextContent.Trim());
        Assert.Equal("Read", view.Find("tr[data-tool=read_internal] [data-testid=grant-scope]").TextContent.Trim());
        Assert.Contains("Unknown tool", view.Find("tr[data-tool=gone_tool]").TextContent, StringComparison.Ordinal);
    }
}
