using System.Text.RegularExpressions;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// Reads and writes notification channels for Settings (Admins): validation per field, write-only secrets, optimistic
/// concurrency, an audit entry per change (naming the secrets changed, never their values) and "Send test".
/// </summary>
public sealed partial class NotificationChannels(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    NotificationSecrets secrets,
    NotificationDispatcher dispatcher,
    AuditLog audit,
    IOptions<NotificationOptions> options,
    TimeProvider time)
{
    public const int MaxRecipients = 50;
    public const int MaxUrlChars = 2_000;

    /// <summary>Creates the built-in in-app channel if missing (start-up; an Admin may disable it, never delete it).</summary>
    public async Task EnsureDefaultsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.NotificationChannels.AnyAsync(c => c.Key == NotificationChannel.InAppKey, ct))
        {
            return;
        }

        var now = time.GetUtcNow();
        db.NotificationChannels.Add(new NotificationChannel
        {
            Id = Guid.CreateVersion7(now),
            Key = NotificationChannel.InAppKey,
            Name = "In-app (badge and snackbar)",
            Kind = NotificationChannelKind.InApp,
            Enabled = true,
            UpdatedAt = now,
            UpdatedBy = "system",
            Revision = 1,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance created it at the same moment: the unique key kept one.
        }
    }

    public async Task<IReadOnlyList<NotificationChannelView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.NotificationChannels.AsNoTracking().OrderBy(c => c.Kind == NotificationChannelKind.InApp ? 0 : 1).ThenBy(c => c.Key).ToListAsync(ct);
        var keys = rows.Select(r => r.Key).ToList();
        var latest = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => keys.Contains(d.ChannelKey))
            .GroupBy(d => d.ChannelKey)
            .Select(g => g.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).First())
            .ToListAsync(ct);
        var byKey = rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
        return [.. rows.Select(r => View(r, latest.FirstOrDefault(d => d.ChannelKey == r.Key) is { } last ? NotificationDeliveries.View(last, byKey) : null))];
    }

    public async Task<NotificationChannelView?> FindAsync(string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Key == key, ct);
        return row is null ? null : View(row, null);
    }

    public async Task<NotificationChannelSaveResult> CreateAsync(NotificationChannelEdit edit, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = Validate(edit, null);
        if (!errors.ContainsKey("key") && await db.NotificationChannels.AnyAsync(c => c.Key == edit.Key.Trim(), ct))
        {
            errors["key"] = [$"A channel with key '{edit.Key.Trim()}' exists already."];
        }

        if (errors.Count > 0)
        {
            return NotificationChannelSaveResult.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var row = new NotificationChannel { Id = Guid.CreateVersion7(now), Key = edit.Key.Trim(), Kind = edit.Kind, Revision = 0 };
        var changed = Apply(row, edit, new(StringComparer.Ordinal), actor, now);
        db.NotificationChannels.Add(row);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "notification-channel.created", AuditActor.Parse(actor),
            $"Notification channel {row.Key} ({row.Kind.ToString().ToLowerInvariant()}) created",
            new { channel = row.Key, kind = row.Kind.ToString(), row.Name, row.Enabled, settings = row.SettingsJson, secretsChanged = changed }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return NotificationChannelSaveResult.Invalid(new Dictionary<string, string[]> { ["key"] = [$"A channel with key '{row.Key}' exists already."] });
        }

        return NotificationChannelSaveResult.Saved(View(row, null));
    }

    public async Task<NotificationChannelSaveResult> UpdateAsync(string key, NotificationChannelEdit edit, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.NotificationChannels.SingleOrDefaultAsync(c => c.Key == key, ct);
        if (row is null)
        {
            return NotificationChannelSaveResult.NotFound(key);
        }

        edit.Key = row.Key;
        edit.Kind = row.Kind;
        Dictionary<string, string> stored;
        try
        {
            stored = secrets.Read(row);
        }
        catch (NotificationSendException)
        {
            // Unreadable after a key-ring change: the Admin is entering them again now.
            stored = new(StringComparer.Ordinal);
        }

        var errors = Validate(edit, stored);
        if (errors.Count > 0)
        {
            return NotificationChannelSaveResult.Invalid(errors);
        }

        if (edit.Revision is { } revision && revision != row.Revision)
        {
            return NotificationChannelSaveResult.Conflict($"Channel '{key}' was changed by {row.UpdatedBy} meanwhile; reload it and apply your change again.");
        }

        var before = new { row.Name, row.Enabled, settings = row.SettingsJson };
        var changed = Apply(row, edit, stored, actor, time.GetUtcNow());
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "notification-channel.updated", AuditActor.Parse(actor),
            $"Notification channel {row.Key} updated{(row.Enabled ? "" : " (disabled)")}",
            new { channel = row.Key, before, after = new { row.Name, row.Enabled, settings = row.SettingsJson }, secretsChanged = changed }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return NotificationChannelSaveResult.Conflict($"Channel '{key}' was changed meanwhile; reload it and apply your change again.");
        }

        return NotificationChannelSaveResult.Saved(View(row, null));
    }

    /// <summary>Deletes a channel; the built-in in-app channel can only be disabled. Its deliveries stay as history.</summary>
    public async Task<NotificationChannelSaveResult> DeleteAsync(string key, string actor, CancellationToken ct = default)
    {
        if (key == NotificationChannel.InAppKey)
        {
            return NotificationChannelSaveResult.Conflict("The built-in in-app channel cannot be deleted; disable it instead.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.NotificationChannels.SingleOrDefaultAsync(c => c.Key == key, ct);
        if (row is null)
        {
            return NotificationChannelSaveResult.NotFound(key);
        }

        db.NotificationChannels.Remove(row);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "notification-channel.deleted", AuditActor.Parse(actor),
            $"Notification channel {row.Key} deleted", new { channel = row.Key, kind = row.Kind.ToString(), row.Name }));
        await db.SaveChangesAsync(ct);
        return NotificationChannelSaveResult.Saved(null);
    }

    /// <summary>
    /// Sends a test notification through the channel now (also when it is disabled, to try it before switching it on)
    /// and returns the delivery: Sent, or Failed with the error. E-mail goes to the fixed recipients, else to the actor.
    /// </summary>
    public async Task<NotificationDeliveryView?> SendTestAsync(string key, string actor, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        Guid id;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var channel = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Key == key, ct);
            if (channel is null)
            {
                return null;
            }

            var text = NotificationText.Test(channel.Name, options.Value.LinkBase());
            var delivery = NotificationDelivery.Due(channel, null, NotificationEvent.Test, text, [actor], "AgentConsole", $"Test of channel '{channel.Name}' by {actor}", now);
            db.NotificationDeliveries.Add(delivery);
            await db.SaveChangesAsync(ct);
            id = delivery.Id;
        }

        await dispatcher.DeliverAsync(id, ct);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var row = await read.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.Id == id, ct);
        var channels = await read.NotificationChannels.AsNoTracking().Where(c => c.Key == key).ToDictionaryAsync(c => c.Key, StringComparer.Ordinal, ct);
        return NotificationDeliveries.View(row, channels);
    }

    private List<string> Apply(NotificationChannel row, NotificationChannelEdit edit, Dictionary<string, string> stored, string actor, DateTimeOffset now)
    {
        row.Name = edit.Name.Trim();
        row.Enabled = edit.Enabled;
        var changed = new List<string>();
        switch (row.Kind)
        {
            case NotificationChannelKind.Email:
                var username = string.IsNullOrWhiteSpace(edit.Username) ? null : edit.Username.Trim();
                row.SettingsJson = new NotificationChannelSettings(edit.Host.Trim(), edit.Port, edit.Tls, username, edit.From.Trim(), edit.RecipientList()).ToJson();
                if (edit.ClearPassword && stored.Remove(NotificationChannelSettings.PasswordSecret))
                {
                    changed.Add(NotificationChannelSettings.PasswordSecret);
                }
                else if (!string.IsNullOrEmpty(edit.Password))
                {
                    stored[NotificationChannelSettings.PasswordSecret] = edit.Password;
                    changed.Add(NotificationChannelSettings.PasswordSecret);
                }

                break;
            case NotificationChannelKind.Webhook:
                row.SettingsJson = "{}";
                if (!string.IsNullOrWhiteSpace(edit.WebhookUrl))
                {
                    stored[NotificationChannelSettings.UrlSecret] = edit.WebhookUrl.Trim();
                    changed.Add(NotificationChannelSettings.UrlSecret);
                }

                break;
            default:
                row.SettingsJson = "{}";
                break;
        }

        secrets.Write(row, stored);
        // The form's secret fields are write-only: never keep a value on the edit once stored.
        edit.Password = null;
        edit.WebhookUrl = null;
        edit.ClearPassword = false;
        row.UpdatedAt = now;
        row.UpdatedBy = actor;
        row.Revision++;
        edit.Revision = row.Revision;
        return changed;
    }

    /// <summary>Field errors keyed by the edit's property names in camelCase; <paramref name="stored"/> is null on create.</summary>
    private static Dictionary<string, string[]> Validate(NotificationChannelEdit edit, Dictionary<string, string>? stored)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var key = edit.Key?.Trim() ?? "";
        if (stored is null)
        {
            if (key.Length is 0 or > NotificationChannel.KeyMaxLength || !KeyShape().IsMatch(key))
            {
                errors["key"] = [$"Key is 1–{NotificationChannel.KeyMaxLength} lower-case letters, digits and dashes, starting with a letter or digit (e.g. reviewers-mail)."];
            }
            else if (key == NotificationChannel.InAppKey)
            {
                errors["key"] = [$"'{NotificationChannel.InAppKey}' is the built-in in-app channel."];
            }

            if (edit.Kind is not (NotificationChannelKind.Email or NotificationChannelKind.Webhook))
            {
                errors["kind"] = ["New channels are e-mail or webhook; the in-app channel is built in."];
            }
        }

        var name = edit.Name?.Trim() ?? "";
        if (name.Length is 0 or > NotificationChannel.NameMaxLength)
        {
            errors["name"] = [$"Name is required, at most {NotificationChannel.NameMaxLength} characters."];
        }

        if (edit.Kind == NotificationChannelKind.Email)
        {
            ValidateEmail(edit, stored, errors);
        }
        else if (edit.Kind == NotificationChannelKind.Webhook)
        {
            var url = edit.WebhookUrl?.Trim();
            if (string.IsNullOrEmpty(url))
            {
                if (stored is null || !stored.ContainsKey(NotificationChannelSettings.UrlSecret))
                {
                    errors["webhookUrl"] = ["Webhook URL is required: the incoming-webhook address from Slack (or a compatible service)."];
                }
            }
            else if (url.Length > MaxUrlChars || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                errors["webhookUrl"] = ["Webhook URL must be an absolute http:// or https:// address."];
            }
        }

        return errors;
    }

    private static void ValidateEmail(NotificationChannelEdit edit, Dictionary<string, string>? stored, Dictionary<string, string[]> errors)
    {
        var host = edit.Host?.Trim() ?? "";
        if (host.Length is 0 or > 253 || host.Any(char.IsWhiteSpace) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            errors["host"] = ["SMTP host is required: a host name or IP address such as smtp.example.com."];
        }

        if (edit.Port is < 1 or > 65_535)
        {
            errors["port"] = ["Port is 1–65535 (usually 587 with STARTTLS, 465 with TLS, 25 without)."];
        }

        if (!Enum.IsDefined(edit.Tls))
        {
            errors["tls"] = ["TLS is none, StartTls or SslOnConnect."];
        }

        if (!EmailAddresses.IsValid(edit.From?.Trim()))
        {
            errors["from"] = ["Sender must be one e-mail address such as agents@example.com."];
        }

        var recipients = edit.RecipientList();
        if (recipients.Count > MaxRecipients)
        {
            errors["recipients"] = [$"At most {MaxRecipients} fixed recipients."];
        }
        else if (recipients.FirstOrDefault(r => !EmailAddresses.IsValid(r)) is { } bad)
        {
            errors["recipients"] = [$"'{(bad.Length <= 60 ? bad : bad[..60] + "…")}' is not an e-mail address; separate addresses with commas."];
        }

        var username = edit.Username?.Trim();
        if (username is { Length: > 256 })
        {
            errors["username"] = ["Username is at most 256 characters."];
        }

        var passwordSet = !edit.ClearPassword && (!string.IsNullOrEmpty(edit.Password) || (stored?.ContainsKey(NotificationChannelSettings.PasswordSecret) ?? false));
        if (!string.IsNullOrEmpty(username) && !passwordSet)
        {
            errors["password"] = ["A username needs a password."];
        }
        else if (edit.Password is { Length: > 1_024 })
        {
            errors["password"] = ["Password is at most 1,024 characters."];
        }
    }

    private NotificationChannelView View(NotificationChannel row, NotificationDeliveryView? last)
    {
        var names = secrets.Names(row);
        var settings = NotificationChannelSettings.Parse(row.SettingsJson);
        return new NotificationChannelView(row.Id, row.Key, row.Name, row.Kind, row.Enabled, settings.Host, settings.Port, settings.Tls, settings.Username,
            settings.From, settings.Recipients ?? [], names.Contains(NotificationChannelSettings.PasswordSecret), names.Contains(NotificationChannelSettings.UrlSecret),
            row.UpdatedAt, row.UpdatedBy, row.Revision, last);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShape();
}
