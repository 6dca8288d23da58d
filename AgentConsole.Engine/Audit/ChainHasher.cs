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

    public string Compute(AuditEvent e, long sequence, string previousHash)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartArray();
        _writer.WriteNumberValue(sequence);
        _writer.WriteNumberValue(e.Timestamp.UtcTicks);
        _writer.WriteStringValue(e.ActorType.ToString());
        _writer.WriteStringValue(e.Actor);
        _writer.WriteStringValue(e.Category.ToString());
        _writer.WriteStringValue(e.Action);
        WriteNullable(e.AgentKey);
        WriteNullable(e.RunId);
        _writer.WriteStringValue(e.Summary);
        _writer.WriteStringValue(e.Payload);
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
