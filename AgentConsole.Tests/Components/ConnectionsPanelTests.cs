using AgentConsole.Components.Pages.Settings;
using AgentConsole.Engine.Tools;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>Settings → Connections: mode, settings JSON, write-only secrets, simulated failure and the health check.</summary>
public sealed class ConnectionsPanelTests(ToolsWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<ToolsWorkspaceFixture>
{
    private const string Secret = "xoxb-never-shown-again-42";

    private ConnectionStore Store => workspace.Host.Services.GetRequiredService<ConnectionStore>();

    private string Key => workspace.Host.Services.GetRequiredService<ToolRegistry>().Connections[0].Key;

    private string Panel => $"[data-testid=connection-panel][data-connection='{Key}']";

    private IRenderedComponent<ConnectionsPanel> RenderPanel()
    {
        Auth.SetAuthorized("admin@example.com");
        var panel = Render<ConnectionsPanel>();
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll(Panel)));
        return panel;
    }

    [Fact]
    public void Panel_ListsEveryConnection()
    {
        var panel = RenderPanel();

        Assert.Equal(
            workspace.Host.Services.GetRequiredService<ToolRegistry>().Connections.Select(c => c.Key).Order(StringComparer.Ordinal),
            panel.FindAll("[data-testid=connection-panel]").Select(p => p.GetAttribute("data-connection")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Saving_SwitchesToLive_AndStoresASecretThatIsNeverShownAgain()
    {
        var panel = RenderPanel();
        try
        {
            panel.Find($"{Panel} input[data-testid=connection-mode-live]").Click();
            panel.Find($"{Panel} textarea[data-testid=connection-settings]").Input("""{ "baseUrl": "https://crm.example.com" }""");
            panel.Find($"{Panel} input[data-testid=connection-new-secret-name]").Change("token");
            panel.Find($"{Panel} input[data-testid=connection-new-secret-value]").Change(Secret);

            panel.Find($"{Panel} [data-testid=connection-save]").Click();

            panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll($"{Panel} [data-testid=connection-secret][data-secret=token]")));
            var stored = await Store.FindAsync(Key);
            Assert.Equal(ConnectionMode.Live, stored!.Mode);
            Assert.Equal(["token"], stored.SecretsSet);
            Assert.Equal("https://crm.example.com", (await Store.SnapshotAsync(Key)).Setting("baseUrl"));
            Assert.Equal(Secret, (await Store.SnapshotAsync(Key)).Secret("token"));
            Assert.DoesNotContain(Secret, panel.Markup, StringComparison.Ordinal);
            Assert.Equal("Live", panel.Find($"{Panel} [data-testid=connection-mode]").TextContent.Trim());
            Assert.Equal("", panel.Find($"{Panel} input[data-testid=connection-new-secret-value]").GetAttribute("value") ?? "");

            // Clearing removes it.
            panel.Find($"{Panel} [data-testid=connection-secret][data-secret=token] input[type=checkbox]").Change(true);
            panel.Find($"{Panel} [data-testid=connection-save]").Click();
            panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll($"{Panel} [data-testid=connection-no-secrets]")));
            Assert.Empty((await Store.FindAsync(Key))!.SecretsSet);
        }
        finally
        {
            var current = await Store.FindAsync(Key);
            await Store.UpdateAsync(Key, new ConnectionUpdate(ConnectionMode.Sandbox, [], new Dictionary<string, string> { ["token"] = "" }, SimulatedFailure.None), "tests");
            Assert.NotNull(current);
        }
    }

    [Fact]
    public async Task InvalidSettingsJson_IsShown_AndNothingIsSaved()
    {
        var panel = RenderPanel();
        var before = await Store.FindAsync(Key);

        panel.Find($"{Panel} textarea[data-testid=connection-settings]").Input("{ \"baseUrl\": ");
        panel.Find($"{Panel} [data-testid=connection-save]").Click();

        panel.WaitForAssertion(() => Assert.Contains("Not valid JSON", panel.Find($"{Panel} [data-testid=connection-problem]").TextContent, StringComparison.Ordinal));
        Assert.Equal(before!.Revision, (await Store.FindAsync(Key))!.Revision);
    }

    [Fact]
    public void SimulatedFailure_IsOfferedForSandboxOnly()
    {
        var panel = RenderPanel();
        Assert.Null(panel.Find($"{Panel} [data-testid=connection-failure]").GetAttribute("disabled"));

        panel.Find($"{Panel} input[data-testid=connection-mode-live]").Click();

        panel.WaitForAssertion(() => Assert.Contains("Sandbox only", panel.Find(Panel).TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void HealthCheck_ShowsTheConnectorsAnswer()
    {
        var panel = RenderPanel();

        panel.Find($"{Panel} [data-testid=connection-check]").Click();

        panel.WaitForAssertion(() => Assert.False(string.IsNullOrWhiteSpace(panel.Find($"{Panel} [data-testid=connection-health]").TextContent)));
    }
}
