using AgentConsole.Components.Pages.Agents;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using Bunit;

namespace AgentConsole.Tests.Components;

public sealed class AgentFormTests : MudTestContext
{
    [Fact]
    public void Render_ShowsOneRowPerInputField_ForTheDemoAgent()
    {
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, DemoWorkspace.LeadRouter()));

        var rows = form.FindAll("[data-testid=input-field-row]");
        Assert.Equal(8, rows.Count);
        Assert.Equal("employees", form.FindAll("input[data-testid=field-name]")[3].GetAttribute("value"));
    }

    [Fact]
    public void AddField_AppendsAnEmptyRow_AndReportsTheChange()
    {
        var definition = new AgentDefinition();
        var changes = 0;
        var form = Render<AgentForm>(p => p
            .Add(f => f.Definition, definition)
            .Add(f => f.DefinitionChanged, () => changes++));
        Assert.NotNull(form.Find("[data-testid=no-input-fields]"));

        form.Find("[data-testid=add-field]").Click();

        Assert.Single(definition.InputFields);
        Assert.Single(form.FindAll("[data-testid=input-field-row]"));
        Assert.Equal(1, changes);
    }

    [Fact]
    public void RemoveField_RemovesThatRow()
    {
        var definition = DemoWorkspace.LeadRouter();
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition));

        form.FindAll("[data-testid=remove-field]")[0].Click();

        Assert.Equal(7, definition.InputFields.Count);
        Assert.DoesNotContain(definition.InputFields, f => f.Name == "name");
        Assert.Equal(7, form.FindAll("[data-testid=input-field-row]").Count);
    }

    [Fact]
    public void TypingAName_SuggestsTheKey_ForANewAgent()
    {
        var definition = new AgentDefinition();
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition).Add(f => f.IsNew, true));

        form.Find("input[data-testid=agent-name]").Input("Invoice Triage (EU)");

        Assert.Equal("invoice-triage-eu", definition.Key);
    }

    [Fact]
    public void TypingAName_LeavesTheKeyAlone_ForAnExistingAgent()
    {
        var definition = DemoWorkspace.LeadRouter();
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition).Add(f => f.IsNew, false));

        form.Find("input[data-testid=agent-name]").Input("Renamed router");

        Assert.Equal("lead-router", definition.Key);
        Assert.Equal("Renamed router", definition.Name);
    }

    [Fact]
    public void Errors_AreShownNextToTheirFields()
    {
        var definition = new AgentDefinition { MaxSteps = 99 };
        var errors = AgentRules.Validate(definition);

        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition).Add(f => f.Errors, errors));

        Assert.Contains("Max steps must be between 1 and 50", FieldText(form, "agent-max-steps"), StringComparison.Ordinal);
        Assert.Contains("Name is required.", FieldText(form, "agent-name"), StringComparison.Ordinal);
        Assert.Equal("true", form.Find("input[data-testid=agent-name]").GetAttribute("aria-invalid"));
        Assert.DoesNotContain("must", FieldText(form, "agent-budget"), StringComparison.Ordinal);
    }

    [Fact]
    public void RedactionPatternErrors_AreShownNextToTheirFields_AndTheCountLimitAboveTheList()
    {
        var definition = DemoWorkspace.LeadRouter();
        definition.RedactionPatterns = [new() { Name = "ORDER_ID", Pattern = "(unclosed" }, new() { Name = "MEMBER", Pattern = @"M-\d+" }];
        var errors = AgentRules.Validate(definition, maxRedactionPatterns: 1);

        var form = Render<AgentForm>(p => p.Add(f => f.Definition, definition).Add(f => f.Errors, errors).Add(f => f.MaxRedactionPatterns, 1));

        Assert.Contains("At most 1 redaction patterns", form.Find("[data-testid=redaction-patterns-error]").TextContent, StringComparison.Ordinal);
        var regexFields = form.FindAll("input[data-testid=redaction-pattern-regex]");
        Assert.Equal(2, regexFields.Count);
        Assert.Contains("not a valid regular expression", regexFields[0].Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", regexFields[0].GetAttribute("aria-invalid"));
        Assert.DoesNotContain("regular expression", regexFields[1].Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnly_HidesEditingButtons()
    {
        var form = Render<AgentForm>(p => p.Add(f => f.Definition, DemoWorkspace.LeadRouter()).Add(f => f.ReadOnly, true));

        Assert.Empty(form.FindAll("[data-testid=add-field]"));
        Assert.Empty(form.FindAll("[data-testid=remove-field]"));
    }

    // MudBlazor puts user attributes on the <input>; the message is in the surrounding input control.
    private static string FieldText(IRenderedComponent<AgentForm> form, string testId) =>
        form.Find($"input[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;

    [Theory]
    [InlineData("Inbound lead router", "inbound-lead-router")]
    [InlineData("  --Hello,  World!! ", "hello-world")]
    [InlineData("Ünïcode ägent", "n-code-gent")]
    [InlineData("", "")]
    public void Slugify_MakesAValidKey(string name, string expected)
    {
        Assert.Equal(expected, AgentForm.Slugify(name));
    }
}
