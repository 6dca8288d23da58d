using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as its UTC ticks. SQLite has no offset type, and EF Core's
/// <see cref="DateTimeOffsetToBinaryConverter"/> packs the local clock ticks with the offset, so a filter written with
/// another offset (<c>from=…+02:00</c>) compared local clocks and missed by the offset. UTC ticks order and compare as
/// instants whatever offset a caller uses; values read back are in UTC.
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
