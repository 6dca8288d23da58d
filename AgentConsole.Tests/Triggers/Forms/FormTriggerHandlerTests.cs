using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Forms;

namespace AgentConsole.Tests.Triggers.Forms;

public sealed class FormTriggerHandlerTests
{
    private readonly FormTriggerHandler _handler = new();

    private static JsonObject Field(string name, string type = "text", bool required = false, params string[] options)
    {
        var field = new JsonObject { ["name"] = name, ["label"] = $"Label {name}", ["type"] = type, ["required"] = required };
        if (options.Length > 0)
        {
            field["options"] = new JsonArray([.. options.Select(o => (JsonNode?)o)]);
        }

        return field;
    }

    private Dictionary<string, string[]> Validate(JsonObject settings)
    {
        var errors = new Dictionary<string, string[]>();
        _handler.Validate(settings, new Dictionary<string, string>(), errors);
        return errors;
    }

    [Fact]
    public void Validate_AcceptsAndNormalisesAFieldList_WhenEveryFieldIsWellFormed()
    {
        var settings = new JsonObject
        {
            ["title"] = "  Contact us ",
            ["fields"] = new JsonArray(Field("name", "TEXT", required: true), Field("size", "select", false, " Small ", "Large"), new JsonObject { ["name"] = "agree", ["type"] = "checkbox" }),
        };

        Assert.Empty(Validate(settings));

        Assert.Equal("Contact us", settings["title"]!.GetValue<string>());
        var fields = settings["fields"]!.AsArray();
        Assert.Equal("text", fields[0]!["type"]!.GetValue<string>());
        Assert.Equal(["Small", "Large"], fields[1]!["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("agree", fields[2]!["label"]!.GetValue<string>());
        Assert.False(fields[2]!["required"]!.GetValue<bool>());
    }

    [Fact]
    public void Validate_NamesEachBadField_WhenNamesTypesOrOptionsAreWrong()
    {
        var settings = new JsonObject
        {
            ["title"] = "Form",
            ["fields"] = new JsonArray(
                Field("email"),
                Field("Email"),
                Field("bad name"),
                Field("kind", "radio"),
                Field("plan", "select"),
                Field("_website")),
        };

        var errors = Validate(settings);

        Assert.Contains("already named", errors["settings.fields[1].name"][0], StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("settings.fields[2].name"));
        Assert.Contains("text, email, number, textarea, select, checkbox", errors["settings.fields[3].type"][0], StringComparison.Ordinal);
        Assert.Contains("at least one option", errors["settings.fields[4].options"][0], StringComparison.Ordinal);
        // The honeypot's name can never be a field's.
        Assert.True(errors.ContainsKey("settings.fields[5].name"));
        Assert.False(errors.ContainsKey("settings.fields[0].name"));
    }

    [Fact]
    public void Validate_RequiresATitleAndOneToFiftyFields()
    {
        var none = Validate(new JsonObject { ["fields"] = new JsonArray() });
        var tooMany = Validate(new JsonObject { ["title"] = "T", ["fields"] = new JsonArray([.. Enumerable.Range(0, 51).Select(i => (JsonNode?)Field($"f{i}"))]) });

        Assert.True(none.ContainsKey("settings.title"));
        Assert.Contains("1 to 50", none["settings.fields"][0], StringComparison.Ordinal);
        Assert.Contains("1 to 50", tooMany["settings.fields"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void SamplePayload_HasOneTypedValuePerField()
    {
        var trigger = new Trigger
        {
            Name = "Contact",
            Kind = TriggerKind.Form,
            SettingsJson = new JsonObject
            {
                ["title"] = "Contact",
                ["fields"] = new JsonArray(Field("email", "email"), Field("employees", "number"), Field("agree", "checkbox"), Field("plan", "select", false, "Pro", "Free")),
            }.ToJsonString(),
        };

        var sample = _handler.SamplePayload(trigger);

        Assert.Equal("dana@acme.example", sample["email"]!.GetValue<string>());
        Assert.Equal(120, sample["employees"]!.GetValue<int>());
        Assert.True(sample["agree"]!.GetValue<bool>());
        Assert.Equal("Pro", sample["plan"]!.GetValue<string>());
    }

    [Fact]
    public void SettingFields_DescribeTheFieldListAsFormFields()
    {
        Assert.Equal(TriggerSettingType.FormFields, _handler.SettingFields.Single(f => f.Name == "fields").Type);
    }
}
