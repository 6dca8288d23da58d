using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentConsole.Engine.Cluster;

/// <summary>One broadcast as it travels: "sender|topic|json" in one NOTIFY payload on one PostgreSQL channel.</summary>
internal sealed record ClusterMessage(string Topic, string Wire)
{
    /// <summary>The one PostgreSQL channel every instance listens on (NOTIFY is per database, so installations never mix).</summary>
    public const string PostgresChannel = "agentconsole_signals";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Encode(string sender, string topic, string body)
    {
        if (topic.Contains('|', StringComparison.Ordinal) || sender.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("A topic or instance id never contains '|'.", nameof(topic));
        }

        return $"{sender}|{topic}|{body}";
    }

    public static bool TryDecode(string wire, out string sender, out string topic, out string body)
    {
        var parts = wire.Split('|', 3);
        (sender, topic, body) = parts.Length == 3 ? (parts[0], parts[1], parts[2]) : ("", "", "");
        return parts.Length == 3;
    }
}
