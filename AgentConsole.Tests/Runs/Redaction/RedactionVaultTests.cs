using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Runs.Redaction;

namespace AgentConsole.Tests.Runs.Redaction;

public sealed class RedactionVaultTests
{
    private static readonly Redactor Default = new(new RedactionOptions());

    [Fact]
    public void Redact_ReplacesLuhnValidCardNumber_WithStablePlaceholder()
    {
        var vault = new RedactionVault(Default);

        var first = vault.Redact("Charge 4111 1111 1111 1111 now.");
        var second = vault.Redact("Refund 4111 1111 1111 1111, not 4111 1111 1111 1112.");

        Assert.Equal("Charge <CARD_1> now.", first);
        Assert.Equal("Refund <CARD_1>, not 4111 1111 1111 1112.", second);
        Assert.Equal(1, vault.Count);
    }

    [Fact]
    public void Redact_NumbersPlaceholdersPerKind_InOrderOfFirstSight()
    {
        var vault = new RedactionVault(Default);

        var text = vault.Redact("123-45-6789, jane@example.com, 078-05-1120, 123-45-6789, bob@example.com");

        Assert.Equal("<SSN_1>, <EMAIL_1>, <SSN_2>, <SSN_1>, <EMAIL_2>", text);
    }

    [Fact]
    public void Restore_GivesBackTheOriginalText()
    {
        var vault = new RedactionVault(Default);
        const string original = "Customer jane@example.com (SSN 123-45-6789) pays with 5500 0000 0000 0004 from DE89 3704 0044 0532 0130 00.";

        var redacted = vault.Redact(original);

        Assert.DoesNotContain("jane@", redacted, StringComparison.Ordinal);
        Assert.Equal(original, vault.Restore(redacted));
    }

    [Fact]
    public void Restore_LeavesPlaceholdersTheVaultDidNotIssue()
    {
        var vault = new RedactionVault(Default);
        vault.Redact("123-45-6789");

        Assert.Equal("123-45-6789 <SSN_2> <EMAIL_1> <ssn_1>", vault.Restore("<SSN_1> <SSN_2> <EMAIL_1> <ssn_1>"));
    }

    [Fact]
    public void Redact_LeavesExistingPlaceholderTextAsItIs()
    {
        var vault = new RedactionVault(Default);

        Assert.Equal("see <SSN_7> and <SSN_1>", vault.Redact("see <SSN_7> and 123-45-6789"));
    }

    [Fact]
    public void FromJson_KeepsPlaceholdersStable_AfterToJson()
    {
        var vault = new RedactionVault(Default);
        vault.Redact("jane@example.com 123-45-6789 bob@example.com");

        var resumed = RedactionVault.FromJson(Default, vault.ToJson());

        Assert.Equal(3, resumed.Count);
        Assert.Equal("<EMAIL_2> <SSN_1> <SSN_2> <EMAIL_3>", resumed.Redact("bob@example.com 123-45-6789 078-05-1120 eve@example.com"));
        Assert.Equal("jane@example.com", resumed.Restore("<EMAIL_1>"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void FromJson_GivesAnEmptyVault_ForNoState(string? json)
    {
        Assert.Equal(0, RedactionVault.FromJson(Default, json).Count);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"entries\":[{\"kind\":\"SSN\",\"placeholder\":\"<CARD_1>\",\"value\":\"x\"}]}")]
    [InlineData("{\"entries\":[{\"kind\":\"SSN\",\"placeholder\":\"<SSN_1>\"}]}")]
    public void FromJson_Throws_ForStateThatIsNotAVault(string json)
    {
        Assert.ThrowsAny<JsonException>(() => RedactionVault.FromJson(Default, json));
    }

    [Fact]
    public void Redact_CopiesJsonDeeply_RedactingStringValuesButNotPropertyNames()
    {
        var vault = new RedactionVault(Default);
        var node = JsonNode.Parse("""
            {
              "customer": { "email": "jane@example.com", "ssn": "123-45-6789", "employees": 500 },
              "cards": ["4111 1111 1111 1111", { "number": 4111111111111111 }],
              "jane@example.com": true,
              "apiKey": "short",
              "note": null
            }
            """);

        var redacted = vault.Redact(node)!;

        Assert.Equal(
            """{"customer":{"email":"<EMAIL_1>","ssn":"<SSN_1>","employees":500},"cards":["<CARD_1>",{"number":"<CARD_2>"}],"jane@example.com":true,"apiKey":"<SECRET_1>","note":null}""",
            redacted.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal("jane@example.com", (string?)node!["customer"]!["email"]);
        Assert.NotSame(node, redacted);
    }

    [Fact]
    public void Restore_CopiesJsonDeeply_RestoringStringValues()
    {
        var vault = new RedactionVault(Default);
        var original = JsonNode.Parse("""{"to":["jane@example.com"],"body":"SSN 123-45-6789","n":1}""");

        var restored = vault.Restore(vault.Redact(original));

        Assert.True(JsonNode.DeepEquals(original, restored));
        Assert.Null(vault.Redact((JsonNode?)null));
    }
}
