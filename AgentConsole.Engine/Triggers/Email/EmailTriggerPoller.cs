using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers.Polling;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.IO;

namespace AgentConsole.Engine.Triggers.Email;

/// <summary>
/// Polls an IMAP folder: every unseen message above the cursor (<c>{UIDVALIDITY}:{last UID}</c>) becomes an event
/// (idempotency key = its Message-ID), and only after <see cref="TriggerInbox.ReceiveAsync"/> returned is it marked seen
/// or moved. A crash in between leaves the message unseen; the next poll receives it again and the inbox answers with
/// the original event (same Message-ID), so nothing is lost and nothing runs twice.
/// </summary>
public sealed class EmailTriggerPoller(TriggerInbox inbox, IOptions<TriggerOptions> options) : ITriggerPoller
{
    /// <summary>Most messages one poll takes; the rest wait for the next poll, so one flooded mailbox cannot hold the job.</summary>
    public const int MaxMessagesPerPoll = 100;

    /// <summary>Most characters of body text in an event (the inbox keeps payloads small).</summary>
    public const int MaxTextChars = 64 * 1024;

    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    public TriggerKind Kind => TriggerKind.Email;

    public TimeSpan Interval(TriggerEntry entry) => PollSettings.Interval(entry, options.Value);

    public async Task PollAsync(TriggerPoll poll, CancellationToken ct)
    {
        var entry = poll.Entry;
        var folderName = entry.StringSetting("folder") ?? EmailTriggerHandler.DefaultFolder;
        var host = entry.StringSetting("host") ?? throw new InvalidOperationException("The trigger names no IMAP server.");
        var move = entry.StringSetting("afterProcessing") == EmailTriggerHandler.Move;
        using var client = new ImapClient { Timeout = (int)NetworkTimeout.TotalMilliseconds };
        await client.ConnectAsync(host, entry.IntSetting("port") ?? 993, Security(entry.StringSetting("security")), ct);
        await client.AuthenticateAsync(entry.StringSetting("username") ?? "", entry.Secrets.GetValueOrDefault(EmailTriggerHandler.Password) ?? "", ct);
        var folder = await FolderAsync(client, folderName, ct);
        var target = move ? await FolderAsync(client, entry.StringSetting("moveTo") ?? "", ct) : null;
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);

        var (validity, lastUid) = ParseCursor(poll.Cursor);
        if (validity != folder.UidValidity)
        {
            // A new UIDVALIDITY means the folder was recreated and its UIDs renumbered: start over from the unseen
            // messages (those already received are recognised by their Message-ID).
            lastUid = 0;
        }

        var query = lastUid == 0
            ? SearchQuery.NotSeen
            : SearchQuery.NotSeen.And(SearchQuery.Uids(new UniqueIdRange(new UniqueId(folder.UidValidity, lastUid + 1), UniqueId.MaxValue)));
        var uids = (await folder.SearchAsync(query, ct)).Where(u => u.Id > lastUid).OrderBy(u => u.Id).Take(MaxMessagesPerPoll).ToList();
        if (uids.Count == 0)
        {
            poll.MoveCursor(Cursor(folder.UidValidity, lastUid));
            return;
        }

        var summaries = (await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate, ct))
            .ToDictionary(s => s.UniqueId.Id, s => s.InternalDate);
        foreach (var uid in uids)
        {
            // GetMessage fetches BODY.PEEK[]: reading does not mark the message seen; only the flag below does.
            var message = await folder.GetMessageAsync(uid, ct);
            var payload = Payload(message, summaries.GetValueOrDefault(uid.Id));
            var idempotencyKey = message.MessageId is { Length: > 0 } id ? id : $"{folderName}:{folder.UidValidity}:{uid.Id}";
            await inbox.ReceiveAsync(poll.Trigger, new TriggerIntake(payload, idempotencyKey, payload["from"]?.GetValue<string>()), ct);
            poll.Counted();

            await folder.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, ct);
            if (target is not null)
            {
                await folder.MoveToAsync(uid, target, ct);
            }

            poll.MoveCursor(Cursor(folder.UidValidity, uid.Id));
        }

        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>An event's payload: addresses, subject, plain text (HTML converted when there is no plain part), attachments.</summary>
    public static JsonObject Payload(MimeMessage message, DateTimeOffset? internalDate)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        var text = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.Convert(html) : "");
        if (text.Length > MaxTextChars)
        {
            text = text[..MaxTextChars];
        }

        var receivedAt = internalDate ?? (message.Date == DateTimeOffset.MinValue ? (DateTimeOffset?)null : message.Date);
        return new JsonObject
        {
            ["messageId"] = message.MessageId,
            ["from"] = from?.Address,
            ["fromName"] = from?.Name is { Length: > 0 } name ? name : null,
            ["to"] = Addresses(message.To),
            ["cc"] = Addresses(message.Cc),
            ["subject"] = message.Subject ?? "",
            ["text"] = text.Trim(),
            ["receivedAt"] = receivedAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["attachments"] = new JsonArray([.. message.Attachments.Select(Attachment)]),
        };
    }

    private static JsonArray Addresses(InternetAddressList list) =>
        new([.. list.Mailboxes.Select(m => (JsonNode?)JsonValue.Create(m.Address))]);

    private static JsonObject Attachment(MimeEntity entity)
    {
        using var measure = new MeasuringStream();
        string? name;
        if (entity is MimePart part)
        {
            name = part.FileName;
            part.Content?.DecodeTo(measure);
        }
        else
        {
            name = entity.ContentType.Name ?? (entity as MessagePart)?.Message?.Subject;
            entity.WriteTo(measure);
        }

        return new JsonObject
        {
            ["name"] = name ?? "(unnamed)",
            ["contentType"] = entity.ContentType.MimeType,
            ["size"] = measure.Length,
        };
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken ct)
    {
        try
        {
            return await client.GetFolderAsync(name, ct);
        }
        catch (FolderNotFoundException ex)
        {
            throw new InvalidOperationException($"The mailbox has no folder '{name}'; create it or change the trigger's settings.", ex);
        }
    }

    private static SecureSocketOptions Security(string? security) => security switch
    {
        EmailTriggerHandler.None => SecureSocketOptions.None,
        EmailTriggerHandler.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.SslOnConnect,
    };

    private static string Cursor(uint validity, uint lastUid) =>
        string.Create(CultureInfo.InvariantCulture, $"{validity}:{lastUid}");

    private static (uint Validity, uint LastUid) ParseCursor(string? cursor)
    {
        var parts = cursor?.Split(':') ?? [];
        return parts.Length == 2
            && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var validity)
            && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            ? (validity, uid)
            : (0, 0);
    }
}
