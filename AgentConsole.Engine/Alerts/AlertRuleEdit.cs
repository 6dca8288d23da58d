namespace AgentConsole.Engine.Alerts;

/// <summary>A rule as the editor and the API send it; <see cref="AlertRuleValidation"/> checks it field by field.</summary>
public sealed class AlertRuleEdit
{
    public string? Name { get; set; }
    public AlertKind? Kind { get; set; }

    /// <summary>Null or empty = every agent, each checked on its own.</summary>
    public string? AgentKey { get; set; }

    public bool Enabled { get; set; } = true;
    public AlertParameters Parameters { get; set; } = new();

    /// <summary>Notification channel keys; empty = every enabled channel.</summary>
    public List<string> Channels { get; set; } = [];

    public static AlertRuleEdit From(AlertRule rule) => new()
    {
        Name = rule.Name,
        Kind = rule.Kind,
        AgentKey = rule.AgentKey,
        Enabled = rule.Enabled,
        Parameters = rule.Parameters,
        Channels = [.. rule.ChannelKeys],
    };
}
