using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers.Polling;

namespace AgentConsole.Engine.Triggers.Email;

/// <summary>
/// E-mail inbox triggers: an IMAP folder polled with MailKit; each new (unseen) message becomes an event and is marked
/// seen or moved only after the event is in the inbox (<see cref="EmailTriggerPoller"/>). Settings: <c>host</c>,
/// <c>port</c>, <c>security</c> (ssl|starttls|none), <c>username</c>, <c>folder</c>, <c>afterProcessing</c>
/// (seen|move), <c>moveTo</c>, <c>pollSeconds</c>; secret <c>password</c>.
/// </summary>
public sealed class EmailTriggerHandler : ITriggerKindHandler
{
    public const string Password = "password";
    public const string Ssl = "ssl";
    public const string StartTls = "starttls";
    public const string None = "none";
    public const string MarkSeen = "seen";
    public const string Move = "move";
    public const string DefaultFolder = "INBOX";

    public TriggerKind Kind => TriggerKind.Email;

    public IReadOnlyList<string> SecretNames { get; } = [Password];

    public IReadOnlyList<TriggerSettingField> SettingFields { get; } =
    [
        new("host", "IMAP server", TriggerSettingType.Text, Required: true, Help: "e.g. imap.example.com"),
        new("port", "Port", TriggerSettingType.Number, Help: "Leave empty for 993 (ssl) or 143 (starttls, none)."),
        new("security", "Security", TriggerSettingType.Select, Required: true,
            Help: "ssl: TLS from the start (port 993); starttls: upgrade a plain connection (port 143); none: unencrypted, only for a server on this machine.",
            Options: [Ssl, StartTls, None], Default: Ssl),
        new("username", "User name", TriggerSettingType.Text, Required: true),
        new(Password, "Password", TriggerSettingType.Secret, Required: true, Help: "Stored encrypted; an app password where the provider offers one."),
        new("folder", "Folder", TriggerSettingType.Text, Help: "The folder to watch; INBOX when empty.", Default: DefaultFolder),
        new("afterProcessing", "After an event is received", TriggerSettingType.Select, Required: true,
            Help: "seen: mark the message as read; move: mark it read and move it to the folder below.", Options: [MarkSeen, Move], Default: MarkSeen),
        new("moveTo", "Move to folder", TriggerSettingType.Text, Help: "Only for \"move\", e.g. Processed (the folder must exist)."),
        PollSettings.Field,
    ];

    public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        var host = PollSettings.Text(settings, "host");
        if (host.Length is 0 or > 255 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            errors["settings.host"] = ["Give the IMAP server's host name or address, e.g. imap.example.com."];
        }

        var security = PollSettings.Text(settings, "security").ToLowerInvariant();
        security = security.Length == 0 ? Ssl : security;
        if (security is not (Ssl or StartTls or None))
        {
            errors["settings.security"] = ["Security is \"ssl\", \"starttls\" or \"none\"."];
        }

        if (settings["port"] is null)
        {
            settings["port"] = security == Ssl ? 993 : 143;
        }
        else if (!(settings["port"] is JsonValue p && p.TryGetValue<int>(out var port) && port is >= 1 and <= 65_535))
        {
            errors["settings.port"] = ["The port is a whole number from 1 to 65535 (993 for ssl, 143 otherwise)."];
        }

        if (PollSettings.Text(settings, "username").Length is 0 or > 320)
        {
            errors["settings.username"] = ["Give the mailbox's user name (often the e-mail address)."];
        }

        if (!secrets.ContainsKey(Password))
        {
            errors[$"secrets.{Password}"] = ["Give the mailbox's password; it is stored encrypted."];
        }

        var folder = PollSettings.Text(settings, "folder");
        folder = folder.Length == 0 ? DefaultFolder : folder;
        var after = PollSettings.Text(settings, "afterProcessing").ToLowerInvariant();
        after = after.Length == 0 ? MarkSeen : after;
        var moveTo = PollSettings.Text(settings, "moveTo");
        if (after is not (MarkSeen or Move))
        {
            errors["settings.afterProcessing"] = ["After processing a message is marked \"seen\" or moved (\"move\")."];
        }
        else if (after == Move && (moveTo.Length == 0 || string.Equals(moveTo, folder, StringComparison.OrdinalIgnoreCase)))
        {
            errors["settings.moveTo"] = ["Name the folder processed messages are moved to (not the watched folder itself)."];
        }

        PollSettings.Validate(settings, errors);
        settings["host"] = host;
        settings["security"] = security;
        settings["username"] = PollSettings.Text(settings, "username");
        settings["folder"] = folder;
        settings["afterProcessing"] = after;
        if (moveTo.Length > 0)
        {
            settings["moveTo"] = moveTo;
        }
        else
        {
            settings.Remove("moveTo");
        }
    }

    public JsonObject SamplePayload(Trigger trigger) => new()
    {
        ["messageId"] = "<4f1c2a@mail.acme.example>",
        ["from"] = "dana@acme.example",
        ["fromName"] = "Dana Whitfield",
        ["to"] = new JsonArray("sales@agentconsole.example"),
        ["cc"] = new JsonArray(),
        ["subject"] = "Demo request",
        ["text"] = "Hello, we are 120 people in SaaS and would like a demo next week.",
        ["receivedAt"] = "2026-12-07T09:30:00+00:00",
        ["attachments"] = new JsonArray(new JsonObject { ["name"] = "requirements.pdf", ["contentType"] = "application/pdf", ["size"] = 48_213 }),
    };
}
