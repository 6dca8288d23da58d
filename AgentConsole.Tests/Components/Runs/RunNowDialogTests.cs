using System.Text.Json.Nodes;
using AgentConsole.Components.Pages.Agents;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AgentConsole.Tests.Components.Runs;

public sealed class RunNowDialogTests : MudTestContext
{
    private readonly List<JsonObject> _started = [];

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync(
        string json, Func<JsonObject, RunCommandResult> answer)
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<RunNowDialog>
        {
            { d => d.AgentName, "Inbound lead router" },
            { d => d.InitialJson, json },
            {
                d => d.Start, input =>
                {
                    _started.Add(input);
                    return Task.FromResult(answer(input));
                }
            },
        };
        var dialog = await provider.InvokeAsync(() => dialogs.ShowAsync<RunNowDialog>("Run", parameters));
        return (provider, dialog);
    }

    [Fact]
    public async Task BrokenJson_IsReportedWithLineAndColumn_AndNothingStarts()
    {
        var (provider, _) = await OpenAsync("{\n  \"company\": \"Acme\",\n  \"employees\": 42,\n}", _ => throw new InvalidOperationException("must not start"));

        provider.Find("[data-testid=run-start]").Click();

        provider.WaitForAssertion(() => Assert.StartsWith("Line 4, column 1:", provider.Find("[data-testid=run-input-error]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty(_started);
    }

    [Fact]
    public async Task AList_IsRefused_BecauseTheInputMustBeAnObject()
    {
        var (provider, _) = await OpenAsync("[1, 2]", _ => throw new InvalidOperationException("must not start"));

        provider.Find("[data-testid=run-start]").Click();

        provider.WaitForAssertion(() => Assert.Contains("must be a JSON object", provider.Find("[data-testid=run-input-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(_started);
    }

    [Fact]
    public async Task ServerErrors_AreShownPerField_AndTheTypedInputStays()
    {
        const string json = """{"company": "Acme", "employees": "many"}""";
        var (provider, dialog) = await OpenAsync(json, _ => new RunCommandResult(RunCommandOutcome.Invalid, Message: "The input does not match the agent's input fields.",
            Errors: new Dictionary<string, string[]> { ["input.employees"] = ["'employees' must be a number; got \"many\"."], ["input.email"] = ["'email' is required."] }));

        provider.Find("[data-testid=run-start]").Click();

        provider.WaitForAssertion(() => Assert.Equal(2, provider.FindAll("[data-testid=run-field-error]").Count));
        Assert.Equal(["employees", "email"], provider.FindAll("[data-testid=run-field-error]").Select(e => e.GetAttribute("data-field")));
        Assert.Equal(json, provider.Find("textarea").GetAttribute("value") ?? provider.Find("textarea").TextContent);
        Assert.Single(_started);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task ValidInput_StartsTheRun_AndClosesWithItsId()
    {
        var id = Guid.NewGuid();
        var (provider, dialog) = await OpenAsync("""{"company": "Acme"}""", _ => new RunCommandResult(RunCommandOutcome.Done, id));

        provider.Find("[data-testid=run-start]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(id, result!.Data);
        Assert.Equal("Acme", _started.Single()["company"]!.GetValue<string>());
    }
}

public sealed class RunInputTests
{
    [Fact]
    public void Sample_ForTheDemoAgent_IsALeadWith42Employees_ThatTheEngineAccepts()
    {
        var agent = new Agent { Key = "lead-router", InputFields = DemoWorkspace.LeadRouter().InputFields };

        var sample = RunInput.Parse(RunInput.Sample(agent.InputFields, DateTimeOffset.UnixEpoch));

        Assert.Null(sample.Error);
        Assert.Equal(42, sample.Input!["employees"]!.GetValue<int>());
        Assert.Empty(RunInputValidation.Validate(agent, sample.Input));
    }

    [Fact]
    public void Parse_NamesLineAndColumn_OneBased()
    {
        var parsed = RunInput.Parse("{\n  \"a\": 1\n  \"b\": 2\n}");

        Assert.Null(parsed.Input);
        Assert.Equal(3, parsed.Line);
        Assert.Equal(3, parsed.Column);
        Assert.DoesNotContain("LineNumber", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesEmptyText() => Assert.NotNull(RunInput.Parse("  ").Error);
}
