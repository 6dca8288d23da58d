using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Chat;

namespace AgentConsole.Tests.Tools.Chat;

public sealed class ChatConnectorTests : IAsyncLifetime
{
    private const string Notice = """{"channel":"Sales EMEA","message":"New mid-market lead: Acme GmbH (42 employees)."}""";

    private MessagingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MessagingHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task UseWebhookAsync(string url) =>
        _harness.SetLiveAsync(ChatConnector.ConnectionKey, [], new() { [ChatConnector.WebhookSecret] = url });

    [Fact]
    public async Task Notify_LogsOnePost_WhenTheSameCallIsSentTwice()
    {
        var run = Guid.NewGuid();

        var first = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, run, "call-9");
        var again = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, run, "call-9");

        Assert.True(first.Succeeded, first.Error);
        Assert.True(again.Result!["alreadyPosted"]!.GetValue<bool>());
        var row = Assert.Single(await _harness.RowsAsync<ChatNotification>());
        Assert.Equal(run, row.RunId);
        Assert.Equal(ToolCall.Derive(run, "call-9"), row.IdempotencyKey);
        Assert.Equal("Sales EMEA", row.Channel);
        Assert.StartsWith("New mid-market lead", row.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_PostsToTheDefaultChannel_WhenTheAgentNamesNone()
    {
        var outcome = await _harness.CallAsync(ChatConnector.NotifyTool, """{"message":"New lead from a company the CRM does not know."}""", Guid.NewGuid());

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(ChatConnector.DefaultChannel, Assert.Single(await _harness.RowsAsync<ChatNotification>()).Channel);
    }

    [Fact]
    public async Task Notify_PostsToTheConnectionsDefaultChannel_WhenOneIsSetAndTheAgentNamesNone()
    {
        await using var hook = await FakeChatWebhook.StartAsync();
        await _harness.SetLiveAsync(ChatConnector.ConnectionKey, new() { [ChatConnector.DefaultChannelSetting] = "Growth" }, new() { [ChatConnector.WebhookSecret] = hook.Url });

        var outcome = await _harness.CallAsync(ChatConnector.NotifyTool, """{"message":"New lead."}""", Guid.NewGuid());

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("[Growth] New lead.", JsonNode.Parse(Assert.Single(hook.Posts).Body)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Notify_IsRefusedBeforeTheConnector_WhenTheMessageIsMissing()
    {
        var outcome = await _harness.CallAsync(ChatConnector.NotifyTool, """{"channel":"Sales EMEA"}""", Guid.NewGuid());

        Assert.Equal(ToolFailureKind.InvalidArguments, outcome.Failure);
        Assert.Empty(await _harness.RowsAsync<ChatNotification>());
    }

    [Fact]
    public async Task Notify_PostsTheTextWithTheIdempotencyKey_WhenTheConnectionIsLive()
    {
        await using var hook = await FakeChatWebhook.StartAsync();
        await UseWebhookAsync(hook.Url);
        var run = Guid.NewGuid();

        var outcome = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, run, "call-2");

        Assert.True(outcome.Succeeded, outcome.Error);
        var post = Assert.Single(hook.Posts);
        Assert.Equal(FakeChatWebhook.SecretPath, post.Path);
        Assert.Equal(ToolCall.Derive(run, "call-2"), post.IdempotencyKey);
        Assert.StartsWith("application/json", post.ContentType, StringComparison.Ordinal);
        Assert.Equal("[Sales EMEA] New mid-market lead: Acme GmbH (42 employees).", JsonNode.Parse(post.Body)!["text"]!.GetValue<string>());
        Assert.Empty(await _harness.RowsAsync<ChatNotification>());
    }

    [Fact]
    public async Task Notify_IsTransientWithTheServersWait_WhenTheWebhookAnswers429()
    {
        await using var hook = await FakeChatWebhook.StartAsync(new WebhookReply(429, RetryAfterSeconds: 7));
        await UseWebhookAsync(hook.Url);

        var failure = await AttemptAsync();

        Assert.Equal(ToolFailureKind.Transient, failure.Kind);
        Assert.Equal(429, failure.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
        Assert.DoesNotContain("s3cr3t", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, ToolFailureKind.Transient)]
    [InlineData(503, ToolFailureKind.Transient)]
    [InlineData(401, ToolFailureKind.Permanent)]
    [InlineData(403, ToolFailureKind.Permanent)]
    [InlineData(404, ToolFailureKind.Permanent)]
    [InlineData(400, ToolFailureKind.Permanent)]
    public async Task Notify_ClassifiesTheWebhooksAnswer(int status, ToolFailureKind kind)
    {
        await using var hook = await FakeChatWebhook.StartAsync(new WebhookReply(status));
        await UseWebhookAsync(hook.Url);

        var outcome = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, Guid.NewGuid());

        Assert.Equal(kind, outcome.Failure);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_SucceedsOnTheNextAttempt_AfterTheWebhookWasBusy()
    {
        await using var hook = await FakeChatWebhook.StartAsync(new WebhookReply(503));
        await UseWebhookAsync(hook.Url);
        var run = Guid.NewGuid();

        var first = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, run, "call-1");
        var retried = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, run, "call-1");

        Assert.Equal(ToolFailureKind.Transient, first.Failure);
        Assert.True(retried.Succeeded, retried.Error);
        Assert.Equal(2, hook.Posts.Count);
        Assert.Single(hook.Posts.Select(p => p.IdempotencyKey).Distinct());
    }

    [Fact]
    public async Task Notify_IsTransient_WhenNothingListensAtTheWebhook()
    {
        await UseWebhookAsync($"http://127.0.0.1:{Email.SmtpSink.FreePort()}{FakeChatWebhook.SecretPath}");

        var outcome = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.Transient, outcome.Failure);
        Assert.DoesNotContain("s3cr3t", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "no 'webhookUrl' secret")]
    [InlineData("ftp://chat.example/hook", "not an http(s) URL")]
    public async Task Notify_FailsPermanentlyAndSaysWhatToFix_WhenTheWebhookIsNotConfigured(string? url, string says)
    {
        if (url is null)
        {
            await _harness.SetLiveAsync(ChatConnector.ConnectionKey, []);
        }
        else
        {
            await UseWebhookAsync(url);
        }

        var outcome = await _harness.CallAsync(ChatConnector.NotifyTool, Notice, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.Permanent, outcome.Failure);
        Assert.Contains(says, outcome.Error, StringComparison.Ordinal);
    }

    /// <summary>One attempt straight through the connector, to see the classified exception with its Retry-After.</summary>
    private async Task<ToolCallException> AttemptAsync()
    {
        var tool = _harness.Tool(ChatConnector.NotifyTool);
        var connector = _harness.Database.Get<ToolRegistry>().ConnectorOf(tool);
        var connection = await _harness.Database.Get<ConnectionStore>().SnapshotAsync(ChatConnector.ConnectionKey);
        var call = new ToolCall(tool, (JsonObject)JsonNode.Parse(Notice)!, ToolScope.Write, Guid.NewGuid(), "lead-router", "call-1", connection, _harness.Database.Services);
        return await Assert.ThrowsAsync<ToolCallException>(() => connector.InvokeAsync(call, CancellationToken.None));
    }
}
