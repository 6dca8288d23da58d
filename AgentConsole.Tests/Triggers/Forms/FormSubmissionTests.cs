using AgentConsole.Engine.Triggers.Forms;

namespace AgentConsole.Tests.Triggers.Forms;

public sealed class FormSubmissionTests
{
    private static readonly FormDefinition Form = new("Contact", null,
    [
        new FormField("name", "Name", FormField.Text, Required: true),
        new FormField("email", "E-mail", FormField.Email, Required: true),
        new FormField("employees", "Employees", FormField.Number),
        new FormField("plan", "Plan", FormField.Select, Options: ["Free", "Pro"]),
        new FormField("agree", "I agree", FormField.Checkbox, Required: true),
        new FormField("newsletter", "Newsletter", FormField.Checkbox),
        new FormField("message", "Message", FormField.Textarea),
    ], FormDefinition.DefaultThankYou);

    private static FormSubmission Check(Dictionary<string, string> posted) => FormSubmission.Check(Form, name => posted.GetValueOrDefault(name));

    [Fact]
    public void Check_TypesTheValues_WhenTheSubmissionIsValid()
    {
        var result = Check(new() { ["name"] = " Dana ", ["email"] = "dana@acme.example", ["employees"] = "120.5", ["plan"] = "Pro", ["agree"] = "on", ["message"] = "Line 1\r\nLine 2" });

        Assert.True(result.Valid);
        Assert.Equal("Dana", result.Payload["name"]!.GetValue<string>());
        Assert.Equal(120.5m, result.Payload["employees"]!.GetValue<decimal>());
        Assert.True(result.Payload["agree"]!.GetValue<bool>());
        Assert.False(result.Payload["newsletter"]!.GetValue<bool>());
        Assert.Equal("Line 1\nLine 2", result.Payload["message"]!.GetValue<string>());
        // Optional fields left empty are simply absent.
        Assert.Null(result.Payload["missing"]);
    }

    [Fact]
    public void Check_GivesAMessagePerField_AndKeepsWhatWasEntered_WhenValuesAreWrong()
    {
        var result = Check(new() { ["email"] = "dana at acme", ["employees"] = "lots", ["plan"] = "Enterprise", ["message"] = new string('x', 5_001) });

        Assert.False(result.Valid);
        Assert.Contains("fill in \"Name\"", result.Errors["name"], StringComparison.Ordinal);
        Assert.Contains("e-mail address", result.Errors["email"], StringComparison.Ordinal);
        Assert.Contains("number", result.Errors["employees"], StringComparison.Ordinal);
        Assert.Contains("options", result.Errors["plan"], StringComparison.Ordinal);
        Assert.Contains("tick \"I agree\"", result.Errors["agree"], StringComparison.Ordinal);
        Assert.Contains("At most 5,000", result.Errors["message"], StringComparison.Ordinal);
        Assert.Equal("dana at acme", result.Values["email"]);
        Assert.Equal("lots", result.Values["employees"]);
    }

    [Theory]
    [InlineData("dana@acme", false)]
    [InlineData("Dana <dana@acme.example>", false)]
    [InlineData("dana@acme.example.", false)]
    [InlineData("dana.w+leads@acme.example", true)]
    public void Check_AcceptsOnlyBareAddressesWithADottedDomain_ForEmailFields(string email, bool valid)
    {
        var result = Check(new() { ["name"] = "Dana", ["email"] = email, ["agree"] = "on" });

        Assert.Equal(valid, result.Valid);
    }

    [Fact]
    public void Check_RefusesLineBreaks_InSingleLineFields()
    {
        var result = Check(new() { ["name"] = "Dana\nBcc: x@y.example", ["email"] = "dana@acme.example", ["agree"] = "on" });

        Assert.Equal("One line, please.", result.Errors["name"]);
    }
}
