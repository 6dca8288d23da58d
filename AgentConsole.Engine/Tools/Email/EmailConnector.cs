using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace AgentConsole.Engine.Tools.Email;

/// <summary>
/// Sends e-mail. Sandbox: the message lands in the app's outbox table (the Outbox page). Live: SMTP through MailKit
/// with the connection's host, port, TLS mode and sender, credentials from its encrypted secrets.
/// </summary>
public sealed partial class EmailConnector(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    TimeProvider time,
    ILogger<EmailConnector> logger) : IConnector
{
    public const string ConnectorKey = "email";
    public const string ConnectionKey = "email";
    public const string SendTool = "email_send";
    public const int MaxSubjectChars = 200;
    public const int MaxBodyChars = 20_000;

    /// <summary>The sender sandbox messages show when the connection names none.</summary>
    public const string SandboxFrom = "agents@sandbox.agentconsole.invalid";

    public string Key => ConnectorKey;

    public string Name => "E-mail (SMTP)";

    // An e-mail cannot be unsent, yet it is declared reversible: what undoing it costs is a correction or apology
    // e-mail and someone's time (about $25). Declaring it irreversible would make every e-mail wait for a person; the
    // e-mails that matter are caught per call instead (AssessAsync: a recipient at a high-stakes account raises the
    // stakes above the approval threshold). Idempotent: the sandbox keeps the key unique, live mode sends a Message-Id
    // derived from it, so a re-sent message is recognisably the same one.
    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(SendTool, "Send an e-mail",
            "Send a plain-text e-mail to one recipient (optionally one person in copy). Use it for messages to people outside the business, e.g. a reply to a lead.",
            $$$"""
            {"type":"object","properties":{
              "to":{"type":"string","description":"Recipient's e-mail address (one address, e.g. name@company.example)","maxLength":{{{EmailAddresses.MaxLength}}}},
              "subject":{"type":"string","description":"Subject line","minLength":1,"maxLength":{{{MaxSubjectChars}}}},
              "body":{"type":"string","description":"Plain-text body","minLength":1,"maxLength":{{{MaxBodyChars}}}},
              "cc":{"type":["string","null"],"description":"Optional: one address to copy","maxLength":{{{EmailAddresses.MaxLength}}}}},
             "required":["to","subject","body"]}
            """,
            ToolAccess.Write, ToolReach.External, Reversible: true, CostToUndoUsd: 25, ConnectorKey, ConnectionKey) { Idempotent = true, IdempotentWhenLive = false },
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        if (toolCall.Tool.Key != SendTool)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, $"The e-mail connector has no tool '{toolCall.Tool.Key}'.");
        }

        var to = EmailAddresses.Require(toolCall.Text("to"), "to");
        var cc = toolCall.Text("cc") is { } ccText ? EmailAddresses.Require(ccText, "cc") : null;
        var subject = toolCall.RequiredText("subject");
        if (subject.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, "'subject' must be a single line.");
        }

        var body = toolCall.RequiredText("body");
        if (toolCall.Connection.Mode == ConnectionMode.Live)
        {
            var settings = SmtpSettings.Read(toolCall.Connection);
            var messageId = MessageIdFor(toolCall.IdempotencyKey, settings.Domain);
            using var message = Compose(settings.From, [to], cc, subject, messageId, toolCall.IdempotencyKey);
            message.Body = new TextPart("plain") { Text = body };
            await SmtpSender.SendAsync(settings, message, ct);
            Log.Sent(logger, toolCall.CallId, settings.Host, settings.Port);
            return Result("sent", messageId, to, cc, subject, repeated: false);
        }

        // Like a real mail server, the sandbox refuses a domain that cannot exist (RFC 2606 reserves .invalid): a hard
        // bounce, which no retry fixes, so the demo and tests can see how an agent hands a failed delivery to a person.
        if (new[] { to, cc }.FirstOrDefault(a => a is not null && a.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)) is { } bounced)
        {
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"The sandbox mail server refused {bounced}: 550 5.1.2 the domain {bounced[(bounced.LastIndexOf('@') + 1)..]} does not exist.") { Status = 550 };
        }

        var from = toolCall.Connection.Setting("from") is { } configured && EmailAddresses.IsValid(configured) ? configured : SandboxFrom;
        var (row, repeated) = await SandboxEffects.RecordOnceAsync(dbFactory, new OutboxEmail
        {
            RunId = SandboxEffects.RunOf(toolCall),
            AgentKey = toolCall.AgentKey,
            CallId = toolCall.CallId,
            IdempotencyKey = toolCall.IdempotencyKey,
            From = from,
            To = to,
            Cc = cc,
            Subject = subject,
            Body = body,
            MessageId = MessageIdFor(toolCall.IdempotencyKey, from[(from.LastIndexOf('@') + 1)..]),
            SentAt = time.GetUtcNow(),
        }, ct);
        return Result("sent to the sandbox outbox", row.MessageId, row.To, row.Cc, row.Subject, repeated);
    }

    /// <summary>A recipient at an account the CRM marks high-stakes makes this e-mail costlier to undo.</summary>
    public ValueTask<CallStakes?> AssessAsync(ToolCall toolCall, CancellationToken ct) =>
        RecipientStakes.HighestAsync(toolCall.Services, [toolCall.Text("to") ?? "", toolCall.Text("cc") ?? ""], ct);

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct) =>
        Task.FromResult(connection.Mode == ConnectionMode.Sandbox
            ? ConnectionHealth.Healthy("Sandbox: e-mails land in the Outbox page, nothing leaves the app.")
            : SmtpSettings.Problems(connection, out var settings) is { } problem
                ? ConnectionHealth.Unhealthy(problem)
                : ConnectionHealth.Healthy($"Live: SMTP {settings}."));

    /// <summary>
    /// The same call always gets the same Message-Id, so a message re-sent after a crash is recognisably a duplicate
    /// to mail systems that de-duplicate on it (SMTP itself has no idempotency).
    /// </summary>
    public static string MessageIdFor(string idempotencyKey, string domain) => $"{idempotencyKey}@{domain}";

    /// <summary>Headers every message this app sends carries; the body is the caller's.</summary>
    public static MimeMessage Compose(string from, IEnumerable<string> to, string? cc, string subject, string messageId, string idempotencyKey)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.AddRange(to.Select(MailboxAddress.Parse));
        if (cc is not null)
        {
            message.Cc.Add(MailboxAddress.Parse(cc));
        }

        message.Subject = subject;
        message.MessageId = messageId;
        message.Headers.Add("X-AgentConsole-Idempotency-Key", idempotencyKey);
        return message;
    }

    private static JsonObject Result(string status, string messageId, string to, string? cc, string subject, bool repeated) => new()
    {
        ["status"] = status,
        ["messageId"] = messageId,
        ["to"] = to,
        ["cc"] = cc,
        ["subject"] = subject,
        ["alreadySent"] = repeated,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "E-mail of call {CallId} handed to SMTP server {Host}:{Port}")]
        public static partial void Sent(ILogger logger, string callId, string host, int port);
    }
}
