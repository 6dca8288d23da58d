using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Messaging;

/// <summary>Insert-or-return-existing for sandbox effect rows, so a call sent twice under one key has one effect.</summary>
public static class SandboxEffects
{
    public const int KeyMaxLength = 64;
    public const int CallIdMaxLength = 200;

    /// <summary>The run id a sandbox row stores: null outside a run.</summary>
    public static Guid? RunOf(ToolCall toolCall) => toolCall.RunId == Guid.Empty ? null : toolCall.RunId;

    /// <summary>
    /// Stores <paramref name="row"/> unless a row with its idempotency key exists; returns the stored row and whether it
    /// was already there. Two attempts racing with one key both end with the single row the database kept.
    /// </summary>
    public static async Task<(T Row, bool Repeated)> RecordOnceAsync<T>(
        IDbContextFactory<AgentConsoleDbContext> dbFactory, T row, CancellationToken ct)
        where T : class, ISandboxEffect
    {
        var key = row.IdempotencyKey;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Set<T>().AsNoTracking().FirstOrDefaultAsync(e => e.IdempotencyKey == key, ct) is { } existing)
            {
                return (existing, true);
            }

            db.Set<T>().Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                return (row, false);
            }
            catch (DbUpdateException)
            {
                // Most likely the unique index: another attempt with this key committed between our read and write.
            }
        }

        await using var again = await dbFactory.CreateDbContextAsync(ct);
        var winner = await again.Set<T>().AsNoTracking().FirstOrDefaultAsync(e => e.IdempotencyKey == key, ct);
        return winner is null
            ? throw new ToolCallException(ToolFailureKind.Transient, "The sandbox table refused the row; try again.")
            : (winner, true);
    }

    /// <summary>The columns every sandbox effect table shares: id, run, agent, call and the unique idempotency key.</summary>
    public static void ConfigureEffect<T>(EntityTypeBuilder<T> builder, string table)
        where T : class, ISandboxEffect
    {
        builder.ToTable(table);
        builder.HasKey("Id");
        builder.Property<string>("AgentKey").HasMaxLength(64);
        builder.Property<string>(nameof(ISandboxEffect.CallId)).HasMaxLength(CallIdMaxLength);
        builder.Property<string>(nameof(ISandboxEffect.IdempotencyKey)).HasMaxLength(KeyMaxLength).IsRequired();
        builder.HasIndex(nameof(ISandboxEffect.IdempotencyKey)).IsUnique();
        builder.HasIndex(nameof(ISandboxEffect.RunId));
    }

    /// <summary>One page of an ordered sandbox list and the list's total.</summary>
    public static async Task<SandboxPage<T>> PageAsync<T>(IOrderedQueryable<T> ordered, int skip, int take, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        return new SandboxPage<T>(items, total);
    }
}
