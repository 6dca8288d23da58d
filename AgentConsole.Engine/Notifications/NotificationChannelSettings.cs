using System.Text.Json;
using System.Text.Json.Serialization;
using AgentConsole.Engine.Tools.Email;

namespace AgentConsole.Engine.Notifications;

/// <summary>A channel's non-secret settings as stored in <see cref="NotificationChannel.SettingsJson"/> (e-mail only so far).</summary>
internal sealed record NotificationChannelSettings(string? Host, int? Port, SmtpTls? Tls, string? Username, string? From, IReadOnlyList<string>? Recipients)
{
    public const string PasswordSecret = "password";
    public const string UrlSecret = "url";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static readonly NotificationChannelSettings None = new(null, null, null, null, null, null);

    public static NotificationChannelSettings Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<NotificationChannelSettings>(json, Json) ?? None;
        }
        catch (JsonException)
        {
            return None;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
