using System.Text.Json.Nodes;
using AgentConsole.Components.Pages.Triggers;
using AgentConsole.Engine.Triggers;
using Bunit;

namespace AgentConsole.Tests.Components.Triggers;

/// <summary>The settings form is rendered from a kind's setting fields alone, edits typed JSON, and shows errors and the live preview.</summary>
public sealed class TriggerSettingsFormTests : MudTestContext
{
    private sealed class EveryFieldHandler : ITriggerKindHandler
    {
        public TriggerKind Kind => TriggerKind.Schedule;

        public IReadOnlyList<string> SecretNames => ["password"];

        public IReadOnlyList<TriggerSettingField> SettingFields =>
        [
            new("host", "Host", TriggerSettingType.Text, Required: true, Help: "The server's name"),
            new("query", "Query", TriggerSettingType.Multiline),
            new("port", "Port", TriggerSettingType.Number, Default: "993"),
            new("useTls", "Use TLS", TriggerSettingType.Boolean, Default: "true"),
            new("security", "Security", TriggerSettingType.Select, Options: ["ssl", "starttls", "none"], Default: "ssl"),
            new("password", "Password", TriggerSettingType.Secret),
            new("payload", "Fixed payload", TriggerSettingType.Json),
            new("fields", "Form fields", TriggerSettingType.FormFields),
            new("tags", "Tags", TriggerSettingType.TextList),
        ];

        public string? Preview(JsonObject settings) =>
            settings["host"] is JsonValue host ? $"Connects to {host}:{settings["port"]}" : null;

        public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
        {
        }

        public JsonObject SamplePayload(Trigger trigger) => [];
    }

    private readonly EveryFieldHandler _handler = new();

    private IRenderedComponent<TriggerSettingsForm> RenderForm(JsonObject settings, Dictionary<string, string> secrets,
        IReadOnlyDictionary<string, string[]>? errors = null, IReadOnlyCollection<string>? stored = null) =>
        Render<TriggerSettingsForm>(p => p
            .Add(c => c.Handler, _handler)
            .Add(c => c.Settings, settings)
            .Add(c => c.Secrets, secrets)
            .Add(c => c.Errors, errors)
            .Add(c => c.StoredSecrets, stored ?? []));

    [Fact]
    public void Defaults_TakeEachFieldsDefault_Typed()
    {
        var defaults = TriggerSettingsForm.Defaults(_handler);

        Assert.Equal("""{"port":993,"useTls":true,"security":"ssl"}""", defaults.ToJsonString());
    }

    [Fact]
    public void Form_RendersOneEditorPerField_AndWritesTypedValues()
    {
        var settings = TriggerSettingsForm.Defaults(_handler);
        var secrets = new Dictionary<string, string>();
        var form = RenderForm(settings, secrets);

        Assert.Equal(9, form.FindAll("[data-testid^=setting-]").Count);
        form.Find("[data-testid=setting-host] input").Input("imap.example.com");
        form.Find("[data-testid=setting-port] input").Input("143");
        form.Find("[data-testid=setting-query] textarea").Input("SELECT 1");
        form.Find("[data-testid=setting-payload] textarea").Input("""{"team": "sales"}""");
        form.Find("[data-testid=setting-tags] input").Input("New, Qualified");
        form.Find("[data-testid=setting-password] input").Input("s3cret");
        form.Find("[data-testid=setting-useTls] input").Change(false);
        form.Find("[data-testid=form-field-add]").Click();
        form.WaitForAssertion(() => Assert.Single(form.FindAll("input[data-testid=form-field-name]")));
        form.Find("input[data-testid=form-field-name]").Change("email");

        Assert.Equal("imap.example.com", settings["host"]!.GetValue<string>());
        Assert.Equal(143, settings["port"]!.GetValue<int>());
        Assert.Equal("SELECT 1", settings["query"]!.GetValue<string>());
        Assert.Equal("sales", settings["payload"]!["team"]!.GetValue<string>());
        Assert.Equal("""["New","Qualified"]""", settings["tags"]!.ToJsonString());
        Assert.False(settings["useTls"]!.GetValue<bool>());
        // The field-list editor writes back from its own (asynchronous) change handler.
        form.WaitForAssertion(() => Assert.Equal("email", settings["fields"]![0]!["name"]!.GetValue<string>()));
        Assert.Equal("text", settings["fields"]![0]!["type"]!.GetValue<string>());
        Assert.False(settings.ContainsKey("password"));
        Assert.Equal("s3cret", secrets["password"]);
    }

    [Fact]
    public void Form_KeepsTextThatDoesNotParse_ForTheEngineToReport()
    {
        var settings = new JsonObject();
        var form = RenderForm(settings, []);

        form.Find("[data-testid=setting-port] input").Input("12a");
        form.Find("[data-testid=setting-payload] textarea").Input("{broken");

        Assert.Equal("12a", settings["port"]!.GetValue<string>());
        Assert.Equal("{broken", settings["payload"]!.GetValue<string>());
    }

    [Fact]
    public void Form_ShowsEngineErrorsAtTheirFields_AndSaysAStoredSecretIsKept()
    {
        var errors = new Dictionary<string, string[]>
        {
            ["settings.host"] = ["Give the IMAP server's host name."],
            ["secrets.password"] = ["The password is required."],
        };

        var form = RenderForm(new JsonObject(), [], errors, ["password"]);

        Assert.Contains("Give the IMAP server's host name.", form.Find("[data-testid=setting-host]").TextContent, StringComparison.Ordinal);
        Assert.Contains("The password is required.", form.Find("[data-testid=setting-password]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("required", form.Find("[data-testid=setting-port]").TextContent, StringComparison.Ordinal);
        var withoutErrors = RenderForm(new JsonObject(), [], null, ["password"]);
        Assert.Contains("leave empty to keep it", withoutErrors.Find("[data-testid=setting-password]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Form_ShowsTheKindsPreview_AsSettingsChange()
    {
        var settings = TriggerSettingsForm.Defaults(_handler);
        var form = RenderForm(settings, []);
        Assert.Empty(form.FindAll("[data-testid=settings-preview]"));

        form.Find("[data-testid=setting-host] input").Input("mail.example.com");

        Assert.Contains("Connects to mail.example.com:993", form.Find("[data-testid=settings-preview]").TextContent, StringComparison.Ordinal);
    }
}
