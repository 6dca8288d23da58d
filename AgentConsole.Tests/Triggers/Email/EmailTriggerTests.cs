using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Email;
using AgentConsole.Tests.Triggers.Polling;
using MailKit;
using MimeKit;

namespace AgentConsole.Tests.Triggers.Email;

/// <summary>E-mail inbox triggers against a real dovecot IMAP server, messages placed with IMAP APPEND.</summary>
public sealed class EmailTriggerTests : IClassFixture<ImapServer>, IAsyncLifetime
{
    private readonly ImapServer _imap;
    private PollingTestBed _bed = null!;

    public EmailTriggerTests(ImapServer imap) => _imap = imap;

    public async Task InitializeAsync()
    {
        _bed = await PollingTestBed.StartAsync();

        // One mailbox serves the class: start each test from an empty inbox.
        using var client = await _imap.ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        if (client.Inbox.Count > 0)
        {
            await client.Inbox.AddFlagsAsync(Enumerable.Range(0, client.Inbox.Count).ToList(), MessageFlags.Deleted, true);
            await client.Inbox.ExpungeAsync();
        }

        await client.DisconnectAsync(true);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static JsonObject Settings(ImapServer imap, string after = EmailTriggerHandler.MarkSeen, string? moveTo = null, string folder = "INBOX") => new()
    {
        ["host"] = imap.Host,
        ["port"] = imap.Port,
        ["security"] = EmailTriggerHandler.None,
        ["username"] = ImapServer.User,
        ["folder"] = folder,
        ["afterProcessing"] = after,
        ["moveTo"] = moveTo,
    };

    private Task<Trigger> CreateAsync(JsonObject settings, string password = ImapServer.Password) =>
        _bed.CreateAsync(TriggerKind.Email, settings, new Dictionary<string, string> { [EmailTriggerHandler.Password] = password });

    private static MimeMessage Message(string subject, string from = "dana@acme.example", string? html = null, (string Name, byte[] Content)? attachment = null)
    {
        var message = new MimeMessage { Subject = subject, MessageId = $"{Guid.NewGuid():N}@acme.example" };
        message.From.Add(new MailboxAddress("Dana Whitfield", from));
        message.To.Add(new MailboxAddress("Sales", "sales@console.example"));
        message.Cc.Add(new MailboxAddress("Ops", "ops@console.example"));
        var body = new BodyBuilder();
        if (html is null)
        {
            body.TextBody = $"Plain text of {subject}.";
        }
        else
        {
            body.HtmlBody = html;
        }

        if (attachment is { } file)
        {
            body.Attachments.Add(file.Name, file.Content, new ContentType("application", "pdf"));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    [Fact]
    public async Task Poll_ReceivesEachUnseenMessage_WithAddressesTextAndAttachments_ThenMarksItSeen()
    {
        var withFile = Message("Demo request", attachment: ("requirements.pdf", new byte[12_345]));
        var htmlOnly = Message("HTML only", html: "<html><body><p>Hello <b>team</b>,</p><script>alert(1)</script><p>we are 120 people.</p></body></html>");
        await _imap.AppendAsync(withFile);
        await _imap.AppendAsync(htmlOnly);
        await _imap.AppendAsync(Message("Read already"), flags: MessageFlags.Seen);
        var trigger = await CreateAsync(Settings(_imap));

        var result = await _bed.PollAsync(trigger);

        Assert.Null(result.Error);
        Assert.Equal(2, result.Received);
        var payloads = await _bed.PayloadsAsync(trigger);
        var demo = Assert.Single(payloads, p => p["subject"]!.GetValue<string>() == "Demo request");
        Assert.Equal(withFile.MessageId, demo["messageId"]!.GetValue<string>());
        Assert.Equal("dana@acme.example", demo["from"]!.GetValue<string>());
        Assert.Equal(["sales@console.example"], demo["to"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["ops@console.example"], demo["cc"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("Plain text of Demo request.", demo["text"]!.GetValue<string>());
        Assert.NotNull(demo["receivedAt"]);
        var file = Assert.Single(demo["attachments"]!.AsArray())!;
        Assert.Equal(("requirements.pdf", "application/pdf", 12_345L), (file["name"]!.GetValue<string>(), file["contentType"]!.GetValue<string>(), file["size"]!.GetValue<long>()));
        var html = Assert.Single(payloads, p => p["subject"]!.GetValue<string>() == "HTML only");
        Assert.Equal("Hello team,\nwe are 120 people.", html["text"]!.GetValue<string>());
        Assert.Empty(html["attachments"]!.AsArray());
        Assert.All(await _imap.ListAsync(), m => Assert.True(m.Seen, $"{m.MessageId} should be seen"));
        var events = await _bed.EventsAsync(trigger);
        Assert.All(events, e => Assert.Equal("dana@acme.example", e.Source));
        Assert.Contains(events, e => e.DedupKey == withFile.MessageId);
        Assert.True((await _bed.ReloadAsync(trigger)).Healthy);
    }

    [Fact]
    public async Task Poll_DoesNotTakeAMessageTwice_WhenItIsMarkedUnseenAgain()
    {
        var uid = await _imap.AppendAsync(Message("Once"));
        var trigger = await CreateAsync(Settings(_imap));
        Assert.Equal(1, (await _bed.PollAsync(trigger)).Received);

        using (var client = await _imap.ConnectAsync())
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.RemoveFlagsAsync(new UniqueId(uid), MessageFlags.Seen, true);
            await client.DisconnectAsync(true);
        }

        var again = await _bed.PollAsync(trigger);
        await _imap.AppendAsync(Message("Later"));
        var later = await _bed.PollAsync(trigger);

        Assert.Equal((0, null), (again.Received, again.Error));
        Assert.Equal(1, later.Received);
        Assert.Equal(["Once", "Later"], (await _bed.PayloadsAsync(trigger)).Select(p => p["subject"]!.GetValue<string>()).Order().Reverse());
        Assert.EndsWith($":{uid + 1}", (await _bed.ReloadAsync(trigger)).Cursor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_MovesEachMessageAfterItIsReceived_WhenAfterProcessingIsMove()
    {
        var message = Message("Move me");
        await _imap.AppendAsync(message);
        await _imap.AppendAsync(Message("Seed the folder"), folder: "Processed", flags: MessageFlags.Seen);
        var trigger = await CreateAsync(Settings(_imap, EmailTriggerHandler.Move, "Processed"));

        var result = await _bed.PollAsync(trigger);

        Assert.Equal((1, null), (result.Received, result.Error));
        Assert.Empty(await _imap.ListAsync());
        var moved = Assert.Single(await _imap.ListAsync("Processed"), m => m.MessageId == message.MessageId);
        Assert.True(moved.Seen);
        Assert.Equal("Move me", Assert.Single(await _bed.PayloadsAsync(trigger))["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task Poll_LeavesMessagesUnseen_AndMarksTheTriggerUnhealthy_WhenTheMoveToFolderIsMissing()
    {
        await _imap.AppendAsync(Message("Stay unseen"));
        var trigger = await CreateAsync(Settings(_imap, EmailTriggerHandler.Move, "No-Such-Folder"));

        var result = await _bed.PollAsync(trigger);

        Assert.NotNull(result.Error);
        Assert.Contains("'No-Such-Folder'", result.Error, StringComparison.Ordinal);
        Assert.Empty(await _bed.EventsAsync(trigger));
        Assert.False(Assert.Single(await _imap.ListAsync()).Seen);
        var stored = await _bed.ReloadAsync(trigger);
        Assert.False(stored.Healthy);
        Assert.Equal(1, stored.ConsecutiveFailures);
    }

    [Fact]
    public async Task Poll_MarksTheTriggerUnhealthy_WhenThePasswordIsWrong()
    {
        await _imap.AppendAsync(Message("Unread"));
        var trigger = await CreateAsync(Settings(_imap), password: "not-the-password");

        var result = await _bed.PollAsync(trigger);

        Assert.Contains("Authentication", result.Error, StringComparison.OrdinalIgnoreCase);
        var stored = await _bed.ReloadAsync(trigger);
        Assert.False(stored.Healthy);
        Assert.Contains("Authentication", stored.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["trigger.unhealthy"], await _bed.HealthAuditAsync(trigger));
        Assert.False(Assert.Single(await _imap.ListAsync()).Seen);
    }

    [Fact]
    public async Task Poll_MarksTheTriggerUnhealthyWhileTheServerIsDown_AndHealthyAgainWhenItIsBack()
    {
        var own = new ImapServer();
        await own.InitializeAsync();
        try
        {
            var trigger = await CreateAsync(Settings(own));
            await own.StopAsync();

            var down = await _bed.PollAsync(trigger);
            _bed.Time.Advance(TimeSpan.FromMinutes(1));
            var stillDown = await _bed.PollAsync(trigger);
            var unhealthy = await _bed.ReloadAsync(trigger);
            await own.StartAsync();
            await own.AppendAsync(Message("After the outage"));
            _bed.Time.Advance(TimeSpan.FromMinutes(1));
            var back = await _bed.PollAsync(trigger);

            Assert.NotNull(down.Error);
            Assert.NotNull(stillDown.Error);
            Assert.Equal(2, unhealthy.ConsecutiveFailures);
            Assert.NotNull(unhealthy.LastError);
            Assert.Equal((1, null), (back.Received, back.Error));
            var healthy = await _bed.ReloadAsync(trigger);
            Assert.True(healthy.Healthy);
            Assert.Equal(0, healthy.ConsecutiveFailures);
            Assert.Equal(["trigger.unhealthy", "trigger.recovered"], await _bed.HealthAuditAsync(trigger));
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task Create_RefusesMissingSettings_WithAMessagePerField()
    {
        var result = await _bed.Catalog.CreateAsync("lead-router", new TriggerDraft("Inbox", TriggerKind.Email,
            Settings: new JsonObject { ["host"] = "", ["security"] = "tls", ["afterProcessing"] = "move", ["pollSeconds"] = 5 }), "tests");

        Assert.Equal(TriggerCommandOutcome.Invalid, result.Outcome);
        Assert.Equal(["secrets.password", "settings.host", "settings.moveTo", "settings.pollSeconds", "settings.security", "settings.username"],
            result.Errors!.Keys.Order(StringComparer.Ordinal));
    }
}
