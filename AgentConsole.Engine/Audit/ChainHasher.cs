using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// Computes an event's chain hash: HMAC-SHA256 over the previous hash and a canonical JSON array of every stored
/// field but the hashes. One instance hashes many events in a row (sealing, verification) and reuses its buffers,
/// so the per-event cost is the HMAC itself rather than allocation.
/// </summary>
internal sealed class ChainHasher : IDisposable
{
    private readonly IncrementalHash _hmac;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public ChainHasher(byte[] key)
    {
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Domain separation for outbox MACs: a chain's previous hash is always 64 hex characters, never this.</summary>
    private const string OutboxDomain = "outbox";

    public string Compute(AuditEvent e, long sequence, string previousHash) =>
        Hash(previousHash, sequence, e.Timestamp.UtcTicks, e.ActorType.ToString(), e.Actor, e.Category.ToString(), e.Action,
            e.AgentKey, e.RunId, e.Summary, e.Payload);

    /// <summary>
    /// The MAC that authenticates an outbox row: the same canonical form as an event, without a sequence (the row
    /// has none yet) and under a prefix no chain hash can take.
    /// </summary>
    public string ComputeOutboxMac(AuditOutboxEntry row) =>
        Hash(OutboxDomain, 0, row.Timestamp.UtcTicks, row.ActorType.ToString(), row.Actor, row.Category.ToString(), row.Action,
            row.AgentKey, row.RunId, row.Summary, row.Payload);

    /// <summary>The same MAC over an outbox row already read into an event (the sealer's check).</summary>
    public string ComputeOutboxMac(AuditEvent e) =>
        Hash(OutboxDomain, 0, e.Timestamp.UtcTicks, e.ActorType.ToString(), e.Actor, e.Category.ToString(), e.Action,
            e.AgentKey, e.RunId, e.Summary, e.Payload);

    private string Hash(string previousHash, long sequence, long ticks, string actorType, string actor, string category, string action,
        string? agentKey, string? runId, string summary, string payload)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartArray();
        _writer.WriteNumberValue(sequence);
        _writer.WriteNumberValue(ticks);
        _writer.WriteStringValue(actorType);
        _writer.WriteStringValue(actor);
        _writer.WriteStringValue(category);
        _writer.WriteStringValue(action);
        WriteNullable(agentKey);
        WriteNullable(runId);
        _writer.WriteStringValue(summary);
        _writer.WriteStringValue(payload);
        _writer.WriteEndArray();
        _writer.Flush();

        // A stored previous hash is 64 hex characters, but verification hashes whatever the row holds.
        var length = Encoding.ASCII.GetByteCount(previousHash);
        var rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> previous = rented ?? stackalloc byte[256];
            var written = Encoding.ASCII.GetBytes(previousHash, previous);
            _hmac.AppendData(previous[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        _hmac.AppendData(_buffer.WrittenSpan);
        Span<byte> hash = stackalloc byte[32];
        _hmac.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    private void WriteNullable(string? value)
    {
        if (value is null)
        {
            _writer.WriteNullValue();
        }
        else
        {
            _writer.WriteStringValue(value);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _hmac.Dispose();
    }
}
