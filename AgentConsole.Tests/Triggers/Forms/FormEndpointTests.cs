using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Forms;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Triggers.Forms;

/// <summary>The public form pages over the real Kestrel host, anonymously: what a visitor and what a bot gets.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed partial class FormEndpointTests(ConsoleHostFixture host)
{
    private async Task<string> CreateFormAsync(bool enabled = true)
    {
        var key = $"form-{Guid.NewGuid():N}"[..20];
        var draft = new TriggerDraft("Test form", TriggerKind.Form, enabled, Key: key, Settings: new JsonObject
        {
            ["title"] = "Talk to sales",
            ["thankYou"] = "Thanks, we will call you.",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "email", ["label"] = "E-mail", ["type"] = "email", ["required"] = true },
                new JsonObject { ["name"] = "employees", ["label"] = "Employees", ["type"] = "number" },
                new JsonObject { ["name"] = "newsletter", ["label"] = "Newsletter", ["type"] = "checkbox" }),
        });
        var result = await host.Services.GetRequiredService<TriggerCatalog>().CreateAsync(DemoWorkspace.LeadRouterKey, draft, "tests@agentconsole.local");
        Assert.Equal(TriggerCommandOutcome.Done, result.Outcome);
        return key;
    }

    /// <summary>Opens the form as a browser would: its antiforgery cookie and the token in the page.</summary>
    private static async Task<(string Cookie, string Token)> OpenAsync(HttpClient client, string key)
    {
        using var response = await client.GetAsync($"/forms/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var cookie = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        return (cookie, TokenInput().Match(html).Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string key, string? cookie, Dictionary<string, string> fields, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/forms/{key}") { Content = new FormUrlEncodedContent(fields) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Form_IsServedAnonymously_AsAPlainHtmlFormWithLabelsAndAHoneypot()
    {
        var key = await CreateFormAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync($"/forms/{key}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Talk to sales</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"field-email\">E-mail", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"{FormTriggerHandler.HoneypotName}\"", html, StringComparison.Ordinal);
        Assert.Matches(TokenInput(), html);
        // No interactive circuit and no console chrome.
        Assert.DoesNotContain("blazor.web.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_PersistsTheTypedValues_AndRedirectsToTheThankYouPage()
    {
        var key = await CreateFormAsync();
        using var client = host.CreateClient();
        var (cookie, token) = await OpenAsync(client, key);

        using var response = await PostAsync(client, key, cookie, new()
        {
            ["__RequestVerificationToken"] = token,
            ["email"] = "dana@acme.example",
            ["employees"] = "120",
            ["newsletter"] = "on",
        }, forwardedFor: "198.51.100.20");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/forms/{key}/thanks", response.Headers.Location?.OriginalString);
        var evt = Assert.Single(await TriggerEvents.OfAsync(host.Services, key));
        Assert.NotEqual(TriggerEventStatus.Rejected, evt.Status);
        Assert.Equal("198.51.100.20", evt.Source);
        var payload = JsonNode.Parse(evt.PayloadJson!)!.AsObject();
        Assert.Equal(120, payload["employees"]!.GetValue<int>());
        Assert.True(payload["newsletter"]!.GetValue<bool>());
        Assert.Equal("dana@acme.example", payload["email"]!.GetValue<string>());

        using var thanks = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, thanks.StatusCode);
        Assert.Contains("Thanks, we will call you.", await thanks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ShowsTheFormAgainWithMessagesAndValues_WhenFieldsAreInvalid()
    {
        var key = await CreateFormAsync();
        using var client = host.CreateClient();
        var (cookie, token) = await OpenAsync(client, key);

        using var response = await PostAsync(client, key, cookie, new() { ["__RequestVerificationToken"] = token, ["email"] = "dana at acme", ["employees"] = "many" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"error-email\">Please enter an e-mail address", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"error-employees\">Please enter a number", html, StringComparison.Ordinal);
        Assert.Contains("value=\"dana at acme\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"many\"", html, StringComparison.Ordinal);
        Assert.Empty(await TriggerEvents.OfAsync(host.Services, key));
    }

    [Fact]
    public async Task Submit_IsRefusedAndRecorded_WithoutTheAntiforgeryToken()
    {
        var key = await CreateFormAsync();
        using var client = host.CreateClient();
        var (cookie, _) = await OpenAsync(client, key);

        using var noToken = await PostAsync(client, key, cookie, new() { ["email"] = "dana@acme.example" });
        using var noCookie = await PostAsync(client, key, null, new() { ["email"] = "dana@acme.example", ["__RequestVerificationToken"] = "forged" });

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("This form has expired", await noToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noCookie.StatusCode);
        var events = await TriggerEvents.OfAsync(host.Services, key);
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal(TriggerEventStatus.Rejected, e.Status);
            Assert.Contains("Antiforgery", e.Reason, StringComparison.Ordinal);
            Assert.Null(e.PayloadJson);
        });
    }

    [Fact]
    public async Task Submit_PretendsSuccess_ButRecordsARejectionAndStartsNothing_WhenTheHoneypotIsFilled()
    {
        var key = await CreateFormAsync();
        using var client = host.CreateClient();
        var (cookie, token) = await OpenAsync(client, key);

        using var response = await PostAsync(client, key, cookie, new()
        {
            ["__RequestVerificationToken"] = token,
            ["email"] = "bot@spam.example",
            [FormTriggerHandler.HoneypotName] = "https://spam.example",
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/forms/{key}/thanks", response.Headers.Location?.OriginalString);
        var evt = Assert.Single(await TriggerEvents.OfAsync(host.Services, key));
        Assert.Equal(TriggerEventStatus.Rejected, evt.Status);
        Assert.Equal("honeypot", evt.Reason);
        Assert.Null(evt.RunId);
    }

    [Fact]
    public async Task Submit_Answers429WithRetryAfter_WhenOneClientSendsTooOften_AndOtherClientsStillPass()
    {
        var key = await CreateFormAsync();
        using var client = host.CreateClient();
        var (cookie, token) = await OpenAsync(client, key);
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["email"] = "not an address" };

        // The default budget is 10 a minute per client and form; every post counts, valid or not.
        for (var i = 0; i < 10; i++)
        {
            using var allowed = await PostAsync(client, key, cookie, fields, forwardedFor: "203.0.113.90");
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var refused = await PostAsync(client, key, cookie, fields, forwardedFor: "203.0.113.90");
        using var other = await PostAsync(client, key, cookie, fields, forwardedFor: "203.0.113.91");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains($"try again in {retryAfter} seconds", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task Form_Answers404Page_WhenDisabledOrUnknown_AndRecordsAPostToADisabledForm()
    {
        var key = await CreateFormAsync(enabled: false);
        using var client = host.CreateClient();

        using var disabled = await client.GetAsync($"/forms/{key}");
        using var unknown = await client.GetAsync("/forms/no-such-form");
        using var posted = await PostAsync(client, key, null, new() { ["email"] = "dana@acme.example" });
        using var webhook = await client.GetAsync($"/forms/{DemoWorkspace.WebsiteLeadsKey}");

        foreach (var response in new[] { disabled, unknown, posted, webhook })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Form not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("The form is disabled.", Assert.Single(await TriggerEvents.OfAsync(host.Services, key)).Reason);
    }

    [Fact]
    public async Task DemoContactForm_IsSeededWithTheLeadRoutersFields()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync($"/forms/{DemoWorkspace.ContactFormKey}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var field in new[] { "name", "email", "company", "employees", "industry", "message" })
        {
            Assert.Contains($"id=\"field-{field}\"", html, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
