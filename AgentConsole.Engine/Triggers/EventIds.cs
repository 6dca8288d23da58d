using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// Version 7 GUIDs that increase within the process even inside one millisecond (RFC 9562 §6.2, method 1: a 12-bit
/// counter in <c>rand_a</c>). <see cref="Guid.CreateVersion7(DateTimeOffset)"/> fills those bits at random, so two events
/// received in the same millisecond listed newest-first in either order; the inbox's pages and cursors sort by id.
/// </summary>
public static class EventIds
{
    private static readonly Lock Gate = new();
    private static long _lastMs = -1;
    private static int _counter;

    public static Guid Next(DateTimeOffset now)
    {
        long ms;
        int counter;
        lock (Gate)
        {
            ms = Math.Max(now.ToUnixTimeMilliseconds(), _lastMs);
            if (ms == _lastMs)
            {
                if (++_counter > 0xFFF)
                {
                    // 4,096 ids in one millisecond: borrow the next one (the clock catches up at once).
                    ms++;
                    _counter = 0;
                }
            }
            else
            {
                _counter = 0;
            }

            _lastMs = ms;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, ms << 16);
        bytes[6] = (byte)(0x70 | ((counter >> 8) & 0x0F));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
