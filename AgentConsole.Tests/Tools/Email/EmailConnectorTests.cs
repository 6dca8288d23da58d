using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentConsole.Tests.Tools.Email;

public sealed class EmailConnectorTests : IAsyncLifetime
{
    private const string Lead = """{"to":"dana@acme.example","subject":"Your enquiry","body":"Hello Dana,\nthanks for reaching out.\nBest, the sales team"}""";

    private MessagingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MessagingHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JsonObject Smtp(SmtpSink sink) => new()
    {
        ["host"] = sink.Host,
        ["port"] = sink.Port,
        ["tls"] = "none",
        ["from"] = "agents@console.example",
    };

    [Fact]
    public async Task Send_WritesOneOutboxRow_WhenTheSameCallIsSentTwice()
    {
        var run = Guid.NewGuid();

        var first = await _harness.CallAsync(EmailConnector.SendTool, Lead, run, "call-7");
        var again = await _harness.CallAsync(EmailConnector.SendTool, Lead, run, "call-7");

        Assert.True(first.Succeeded, first.Error);
        Assert.True(again.Succeeded, again.Error);
        Assert.False(first.Result!["alreadySent"]!.GetValue<bool>());
        Assert.True(again.Result!["alreadySent"]!.GetValue<bool>());
        Assert.Equal(first.Result["messageId"]!.GetValue<string>(), again.Result["messageId"]!.GetValue<string>());
        var row = Assert.Single(await _harness.RowsAsync<OutboxEmail>());
        Assert.Equal(run, row.RunId);
        Assert.Equal("call-7", row.CallId);
        Assert.Equal(ToolCall.Derive(run, "call-7"), row.IdempotencyKey);
        Assert.Equal("dana@acme.example", row.To);
        Assert.Equal("Your enquiry", row.Subject);
        Assert.Contains("thanks for reaching out", row.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WritesOneRowPerCall_WhenCallsDiffer()
    {
        var run = Guid.NewGuid();

        await _harness.CallAsync(EmailConnector.SendTool, Lead, run, "call-1");
        await _harness.CallAsync(EmailConnector.SendTool, Lead, run, "call-2");
        await _harness.CallAsync(EmailConnector.SendTool, Lead, Guid.Empty, "call-1");

        var rows = await _harness.RowsAsync<OutboxEmail>();
        Assert.Equal(3, rows.Count);
        Assert.Single(rows, r => r.RunId is null);
    }

    [Theory]
    [InlineData("""{"to":"not-an-address","subject":"Hi","body":"Hello"}""", "'to'")]
    [InlineData("""{"to":"Dana Lee <dana@acme.example>","subject":"Hi","body":"Hello"}""", "'to'")]
    [InlineData("""{"to":"dana@acme.example, ravi@globex.example","subject":"Hi","body":"Hello"}""", "'to'")]
    [InlineData("""{"to":"dana@acme.example","cc":"nobody","subject":"Hi","body":"Hello"}""", "'cc'")]
    [InlineData("""{"to":"dana@acme.example","subject":"Hi\r\nBcc: all@acme.example","body":"Hello"}""", "'subject'")]
    public async Task Send_RefusesTheCallWithoutAnEffect_WhenAnArgumentIsBad(string arguments, string named)
    {
        var outcome = await _harness.CallAsync(EmailConnector.SendTool, arguments, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.InvalidArguments, outcome.Failure);
        Assert.Contains(named, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(await _harness.RowsAsync<OutboxEmail>());
    }

    [Fact]
    public async Task Send_IsRefusedBeforeTheConnector_WhenTheSubjectIsMissing()
    {
        var outcome = await _harness.CallAsync(EmailConnector.SendTool, """{"to":"dana@acme.example","body":"Hello"}""", Guid.NewGuid());

        Assert.Equal(ToolFailureKind.InvalidArguments, outcome.Failure);
        Assert.Equal(0, outcome.Attempts);
        Assert.Contains("subject", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_DeliversTheMessageOverSmtp_WhenTheConnectionIsLive()
    {
        await using var sink = await SmtpSink.StartAsync();
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, Smtp(sink));
        var run = Guid.NewGuid();

        var outcome = await _harness.CallAsync(EmailConnector.SendTool,
            """{"to":"dana@acme.example","cc":"ravi@globex.example","subject":"Your enquiry – next steps","body":"Hello Dana,\nthanks for reaching out.\nBest, the sales team"}""", run, "call-3");

        Assert.True(outcome.Succeeded, outcome.Error);
        var mail = Assert.Single(await sink.WaitForMailAsync());
        Assert.Equal("agents@console.example", mail.EnvelopeFrom);
        Assert.Equal(["dana@acme.example", "ravi@globex.example"], mail.EnvelopeTo.Order());
        Assert.Equal("Your enquiry – next steps", mail.Message.Subject);
        Assert.Equal("dana@acme.example", Assert.Single(mail.Message.To.Mailboxes).Address);
        Assert.Equal("ravi@globex.example", Assert.Single(mail.Message.Cc.Mailboxes).Address);
        Assert.Contains("thanks for reaching out.", mail.Message.TextBody, StringComparison.Ordinal);
        var key = ToolCall.Derive(run, "call-3");
        Assert.Equal($"{key}@console.example", mail.Message.MessageId);
        Assert.Equal(key, mail.Message.Headers["X-AgentConsole-Idempotency-Key"]);
        Assert.Empty(await _harness.RowsAsync<OutboxEmail>());
    }

    [Fact]
    public async Task Send_LogsInWithTheSecrets_WhenTheServerRequiresAuthentication()
    {
        await using var sink = await SmtpSink.StartAsync("agent-mailer", "correct horse battery staple");
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, Smtp(sink),
            new() { ["username"] = "agent-mailer", ["password"] = "correct horse battery staple" });

        var outcome = await _harness.CallAsync(EmailConnector.SendTool, Lead, Guid.NewGuid());

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("Your enquiry", Assert.Single(await sink.WaitForMailAsync()).Message.Subject);
    }

    [Fact]
    public async Task Send_FailsPermanentlyWithoutTheSecretInTheMessage_WhenTheServerRefusesTheCredentials()
    {
        await using var sink = await SmtpSink.StartAsync("agent-mailer", "correct horse battery staple");
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, Smtp(sink),
            new() { ["username"] = "agent-mailer", ["password"] = "wrong-password-123" });

        var outcome = await _harness.CallAsync(EmailConnector.SendTool, Lead, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.Permanent, outcome.Failure);
        Assert.Contains("credentials", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, sink.DeliveredCount);
    }

    [Fact]
    public async Task Send_FailsPermanently_WhenTheServerRequiresLoginAndNoneIsConfigured()
    {
        await using var sink = await SmtpSink.StartAsync("agent-mailer", "correct horse battery staple");
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, Smtp(sink));

        var outcome = await _harness.CallAsync(EmailConnector.SendTool, Lead, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.Permanent, outcome.Failure);
        Assert.Equal(0, sink.DeliveredCount);
    }

    [Theory]
    [InlineData("busy@acme.example", ToolFailureKind.Transient, 451)]
    [InlineData("nobody@acme.example", ToolFailureKind.Permanent, 550)]
    public async Task Send_ClassifiesTheServersReply_WhenItRefusesTheRecipient(string to, ToolFailureKind kind, int code)
    {
        await using var sink = await SmtpSink.StartAsync();
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, Smtp(sink));

        var outcome = await _harness.CallAsync(EmailConnector.SendTool, $$"""{"to":"{{to}}","subject":"Hi","body":"Hello"}""", Guid.NewGuid());

        Assert.Equal(kind, outcome.Failure);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, sink.DeliveredCount);
    }

    [Fact]
    public async Task Send_IsTransient_WhenNothingListensOnTheSmtpPort()
    {
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, new JsonObject
        {
            ["host"] = "127.0.0.1", ["port"] = SmtpSink.FreePort(), ["tls"] = "none", ["from"] = "agents@console.example",
        });

        var outcome = await _harness.CallAsync(EmailConnector.SendTool, Lead, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.Transient, outcome.Failure);
        Assert.Contains("Could not connect", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"port":25,"from":"agents@console.example"}""", "no SMTP host")]
    [InlineData("""{"host":"smtp.example","from":"agents@console.example","tls":"sometimes"}""", "TLS mode")]
    [InlineData("""{"host":"smtp.example"}""", "'from'")]
    public async Task Send_FailsPermanentlyAndSaysWhatToFix_WhenTheLiveConnectionIsIncomplete(string settings, string says)
    {
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, (JsonObject)JsonNode.Parse(settings)!);

        var outcome = await _harness.CallAsync(EmailConnector.SendTool, Lead, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.Permanent, outcome.Failure);
        Assert.Contains(says, outcome.Error, StringComparison.Ordinal);
        var connector = _harness.Database.Get<ToolRegistry>().Connectors.OfType<EmailConnector>().Single();
        var health = await connector.CheckAsync(await _harness.Database.Get<ConnectionStore>().SnapshotAsync(EmailConnector.ConnectionKey), CancellationToken.None);
        Assert.False(health.IsHealthy);
    }

    [Fact]
    public async Task Assess_RaisesTheStakesAboveTheThreshold_WhenTheCrmMarksTheRecipientsAccountHighStakes()
    {
        var connector = new EmailConnector(null!, TimeProvider.System, NullLogger<EmailConnector>.Instance);
        var call = Call(connector, """{"to":"ceo@bigcorp.example","cc":"dana@acme.example","subject":"Offer","body":"Hello"}""",
            new FakeAccountStakes(("ceo@bigcorp.example", new CallStakes(5_000, "BigCorp is a high-stakes account"))));

        var stakes = await connector.AssessAsync(call, CancellationToken.None);

        Assert.Equal(5_000, stakes!.CostToUndoUsd);
        var reason = ToolPolicy.ApprovalReason(call.Tool, ToolScope.Write, AutonomyLevel.FullyAutonomous, stakes: stakes);
        Assert.Contains("BigCorp is a high-stakes account", reason, StringComparison.Ordinal);
        Assert.Null(ToolPolicy.ApprovalReason(call.Tool, ToolScope.Write, AutonomyLevel.FullyAutonomous));
    }

    [Fact]
    public async Task Assess_ReportsTheCopiedRecipient_WhenOnlyTheCcIsHighStakes()
    {
        var connector = new EmailConnector(null!, TimeProvider.System, NullLogger<EmailConnector>.Instance);
        var call = Call(connector, """{"to":"dana@acme.example","cc":"ceo@bigcorp.example","subject":"Offer","body":"Hello"}""",
            new FakeAccountStakes(("ceo@bigcorp.example", new CallStakes(800, "BigCorp"))));

        Assert.Equal(800, (await connector.AssessAsync(call, CancellationToken.None))!.CostToUndoUsd);
    }

    [Fact]
    public async Task Assess_LeavesTheDeclaredCost_WhenNoCrmKnowsAccounts()
    {
        var connector = new EmailConnector(null!, TimeProvider.System, NullLogger<EmailConnector>.Instance);
        var call = Call(connector, Lead, stakes: null);

        Assert.Null(await connector.AssessAsync(call, CancellationToken.None));
    }

    private static ToolCall Call(EmailConnector connector, string arguments, IAccountStakes? stakes)
    {
        var services = new ServiceCollection();
        if (stakes is not null)
        {
            services.AddSingleton(stakes);
        }

        var connection = new ConnectionSnapshot(EmailConnector.ConnectionKey, EmailConnector.ConnectorKey, ConnectionMode.Sandbox, [], new Dictionary<string, string>(), SimulatedFailure.None);
        return new ToolCall(connector.Tools[0], (JsonObject)JsonNode.Parse(arguments)!, ToolScope.Write, Guid.NewGuid(), "lead-router", "call-1", connection, services.BuildServiceProvider());
    }
}
