using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace AgentConsole.Engine.Cluster;

/// <summary>
/// Tells the other instances of an installation that something changed, and hands what they told to this instance's
/// subscribers. The in-process feeds (live run updates, cancels, escalations, alerts, in-app notifications, evaluation
/// progress) deliver to their local subscribers themselves and broadcast here; what arrives from another instance is
/// delivered locally only, so nothing echoes. With one instance (SQLite) nothing leaves the process; on PostgreSQL
/// <see cref="PostgresSignalRelay"/> carries messages over LISTEN/NOTIFY. Best effort: a message lost while the relay
/// reconnects only delays a page's refresh, as everything a signal announces is also in the database.
/// </summary>
public sealed class ClusterSignals
{
    /// <summary>PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; messages carry ids and short texts.</summary>
    public const int MaxPayloadBytes = 7_500;

    private const int OutboxCapacity = 10_000;
    private readonly ConcurrentDictionary<string, Action<string>[]> _subscribers = new(StringComparer.Ordinal);
    private readonly Channel<ClusterMessage>? _outbox;
    private long _dropped;

    /// <summary>Signals of a single instance: broadcasts go nowhere.</summary>
    public ClusterSignals()
        : this(Guid.NewGuid().ToString("N"), relayed: false)
    {
    }

    internal ClusterSignals(string instanceId, bool relayed)
    {
        InstanceId = instanceId;
        _outbox = relayed
            ? Channel.CreateBounded<ClusterMessage>(new BoundedChannelOptions(OutboxCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true })
            : null;
    }

    /// <summary>Tags this instance's messages, so it ignores its own when they come back.</summary>
    public string InstanceId { get; }

    /// <summary>True when broadcasts reach other instances.</summary>
    public bool IsRelayed => _outbox is not null;

    /// <summary>Messages not relayed because the relay fell too far behind (its database is unreachable).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<ClusterMessage>? Outbox => _outbox?.Reader;

    /// <summary>Sends <paramref name="message"/> to the other instances' subscribers of <paramref name="topic"/>; never blocks.</summary>
    public void Broadcast<T>(string topic, T message)
    {
        if (_outbox is null)
        {
            return;
        }

        var body = JsonSerializer.Serialize(message, ClusterMessage.Json);
        var wire = ClusterMessage.Encode(InstanceId, topic, body);
        if (System.Text.Encoding.UTF8.GetByteCount(wire) > MaxPayloadBytes)
        {
            throw new ArgumentException($"A cluster message on '{topic}' is over {MaxPayloadBytes} bytes; signals carry ids, not documents.", nameof(message));
        }

        if (!_outbox.Writer.TryWrite(new ClusterMessage(topic, wire)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Calls <paramref name="handler"/> with each message another instance broadcasts on <paramref name="topic"/>.</summary>
    public void Subscribe<T>(string topic, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Action<string> receive = body =>
        {
            if (JsonSerializer.Deserialize<T>(body, ClusterMessage.Json) is { } message)
            {
                handler(message);
            }
        };
        _subscribers.AddOrUpdate(topic, _ => [receive], (_, existing) => [.. existing, receive]);
    }

    /// <summary>
    /// Delivers a message as it came off the wire; false when it was this instance's own or not a message at all.
    /// A subscriber's exception propagates to the relay, which logs it and goes on.
    /// </summary>
    internal bool Deliver(string wire)
    {
        if (!ClusterMessage.TryDecode(wire, out var sender, out var topic, out var body) || sender == InstanceId)
        {
            return false;
        }

        foreach (var subscriber in _subscribers.GetValueOrDefault(topic) ?? [])
        {
            subscriber(body);
        }

        return true;
    }
}
