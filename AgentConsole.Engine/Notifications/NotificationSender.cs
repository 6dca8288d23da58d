using System.Net;
using System.Net.Http.Json;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Email;
using MimeKit;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// Sends one rendered delivery over e-mail (MailKit, through the e-mail tool's <see cref="SmtpSender"/>) or a
/// Slack-compatible webhook. Every failure becomes a <see cref="NotificationSendException"/> whose message names the
/// server or host only: the webhook URL is the credential, so neither it nor the SMTP password is ever in a message.
/// </summary>
public sealed class NotificationSender(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "AgentConsole.Notifications";
    private const int ResponseSnippetChars = 200;

    internal async Task SendAsync(NotificationChannel channel, IReadOnlyDictionary<string, string> secrets, NotificationDelivery delivery, CancellationToken ct)
    {
        switch (channel.Kind)
        {
            case NotificationChannelKind.Email:
                await SendEmailAsync(channel, secrets, delivery, ct);
                break;
            case NotificationChannelKind.Webhook:
                await PostWebhookAsync(channel, secrets, delivery, ct);
                break;
            default:
                throw new NotificationSendException($"Channel '{channel.Key}' has kind {channel.Kind}, which is not sent over the network.", permanent: true);
        }
    }

    private static async Task SendEmailAsync(NotificationChannel channel, IReadOnlyDictionary<string, string> secrets, NotificationDelivery delivery, CancellationToken ct)
    {
        var settings = NotificationChannelSettings.Parse(channel.SettingsJson);
        if (string.IsNullOrEmpty(settings.Host) || settings.From is not { } from || !EmailAddresses.IsValid(from))
        {
            throw new NotificationSendException($"Channel '{channel.Key}' has no SMTP host or sender: an Admin completes it in Settings → Notifications.", permanent: true);
        }

        var recipients = (delivery.Recipients ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (recipients.Length == 0)
        {
            throw new NotificationSendException(
                $"Nobody to e-mail: channel '{channel.Key}' has no fixed recipients and the escalation named no reviewer with an e-mail address.", permanent: true);
        }

        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var recipient in recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = delivery.Subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(from[(from.LastIndexOf('@') + 1)..]);
        message.Body = new TextPart("plain") { Text = delivery.Body };
        var username = string.IsNullOrEmpty(settings.Username) ? null : settings.Username;
        var smtp = new SmtpSettings(settings.Host, settings.Port ?? SmtpSettings.DefaultPort, settings.Tls ?? SmtpTls.StartTls, from,
            username, secrets.GetValueOrDefault(NotificationChannelSettings.PasswordSecret));
        try
        {
            await SmtpSender.SendAsync(smtp, message, ct);
        }
        catch (ToolCallException ex)
        {
            throw new NotificationSendException(ex.Message, permanent: ex.Kind == ToolFailureKind.Permanent, ex);
        }
    }

    private async Task PostWebhookAsync(NotificationChannel channel, IReadOnlyDictionary<string, string> secrets, NotificationDelivery delivery, CancellationToken ct)
    {
        if (!secrets.TryGetValue(NotificationChannelSettings.UrlSecret, out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new NotificationSendException($"Channel '{channel.Key}' has no webhook URL: an Admin sets it in Settings → Notifications.", permanent: true);
        }

        var where = $"The webhook at {uri.Host}";
        var client = httpClients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            // Slack, Mattermost, Rocket.Chat and Teams' Slack-compatible hooks all take {"text": ...}; *…* is bold there.
            response = await client.PostAsJsonAsync(uri, new { text = $"*{delivery.Subject}*\n{delivery.Body}" }, ct);
        }
        catch (HttpRequestException ex)
        {
            // Not ex.Message: it may quote the request; the error kind and host say enough.
            throw new NotificationSendException($"Could not reach the webhook host {uri.Host}: {ex.HttpRequestError}.", permanent: false, ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var code = (int)response.StatusCode;
            var text = await ReadSnippetAsync(response, url, ct);
            // 408, 429 and 5xx may pass later; any other 4xx (a revoked hook, a bad payload) needs an Admin.
            var transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || code >= 500;
            throw new NotificationSendException($"{where} answered {code} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}", permanent: !transient);
        }
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, string url, CancellationToken ct)
    {
        try
        {
            var body = (await response.Content.ReadAsStringAsync(ct)).ReplaceLineEndings(" ").Trim();
            body = body.Replace(url, "[webhook URL]", StringComparison.Ordinal);
            return body.Length <= ResponseSnippetChars ? body : body[..ResponseSnippetChars] + "…";
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }
}
