using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Hosting;
using AgentConsole.Tests.Triggers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The demo's public "Contact us" form as a visitor uses it, without signing in, and the run it starts.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class WebFormTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task ContactForm_ShowsMessagesAndKeepsValues_ThenThanksTheVisitor_AndStartsARun()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        var email = $"lee.{Guid.NewGuid():N}"[..12] + "@acme.example";

        await page.GotoAsync($"/forms/{DemoWorkspace.ContactFormKey}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Contact us" })).ToBeVisibleAsync();
        await session.ScreenshotAsync("forms", "contact-form");

        // Labels name the inputs (the page is usable with a screen reader and by label in tests).
        await page.GetByLabel("Your name").FillAsync("Lee Form");
        await page.GetByLabel("Work e-mail").FillAsync("lee at acme");
        await page.GetByLabel("Number of employees").FillAsync("forty");
        await page.GetByLabel("Industry").SelectOptionAsync("Manufacturing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(page.GetByTestId("form-errors")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("error-email")).ToHaveTextAsync("Please enter an e-mail address like name@example.com.");
        await Expect(page.GetByTestId("error-employees")).ToHaveTextAsync("Please enter a number, e.g. 42 or 3.5.");
        await Expect(page.GetByTestId("error-company")).ToHaveTextAsync("Please fill in \"Company\".");
        await Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Lee Form");
        await Expect(page.GetByLabel("Work e-mail")).ToHaveValueAsync("lee at acme");
        await Expect(page.GetByLabel("Industry")).ToHaveValueAsync("Manufacturing");
        await Expect(page.GetByLabel("Work e-mail")).ToHaveAttributeAsync("aria-invalid", "true");
        await session.ScreenshotAsync("forms", "contact-form-invalid");

        await page.GetByLabel("Work e-mail").FillAsync(email);
        await page.GetByLabel("Number of employees").FillAsync("42");
        await page.GetByLabel("Company").FillAsync("Acme GmbH");
        await page.GetByLabel("How can we help?").FillAsync("A demo next week, please.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(BrowserSession.PathIs($"/forms/{DemoWorkspace.ContactFormKey}/thanks"));
        await Expect(page.GetByTestId("form-message")).ToHaveTextAsync("Thank you! We have received your message and will be in touch within one business day.");
        await session.ScreenshotAsync("forms", "contact-form-thanks");

        var received = (await TriggerEvents.OfAsync(host.Services, DemoWorkspace.ContactFormKey))
            .Single(e => e.PayloadJson is { } json && JsonNode.Parse(json)!["email"]?.GetValue<string>() == email);
        var evt = await TriggerEvents.ProcessedAsync(host.Services, received.Id);
        Assert.True(evt.Status == TriggerEventStatus.RunStarted, evt.Reason);
        var payload = JsonNode.Parse(evt.PayloadJson!)!.AsObject();
        Assert.Equal(42, payload["employees"]!.GetValue<int>());

        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/runs/{evt.RunId}");
        await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Succeeded");
        // The run's input is what the visitor sent (the e-mail address shows redacted there).
        await Expect(page.GetByTestId("run-input")).ToContainTextAsync("\"message\": \"A demo next week, please.\"");
        await session.ScreenshotAsync("forms", "contact-form-run");
        // The form shown again with messages is answered 400 (the submission was refused), which Chromium logs once; nothing else may fail.
        Assert.Equal(["console error: Failed to load resource: the server responded with a status of 400 (Bad Request)"], session.BrowserErrors);
    }
}
