using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Http;

/// <summary>
/// A request an agent made through a sandbox HTTP API connection: recorded instead of sent. Keyed by the call's
/// idempotency key, so a call repeated after a crash finds its first record instead of adding a second.
/// </summary>
public sealed class HttpSandboxRequest
{
    public long Id { get; set; }

    /// <summary>The run; null for a call outside a run (a test call from the Tools page).</summary>
    public Guid? RunId { get; set; }

    public string CallId { get; set; } = "";

    public string IdempotencyKey { get; set; } = "";

    public string AgentKey { get; set; } = "";

    public string ConnectionKey { get; set; } = "";

    public string Method { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>The headers the request would carry, as a JSON object; secret headers by name only, never their values.</summary>
    public string HeadersJson { get; set; } = "{}";

    /// <summary>The JSON body, or null.</summary>
    public string? BodyJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class HttpSandboxRequestConfiguration : IEntityTypeConfiguration<HttpSandboxRequest>
{
    public void Configure(EntityTypeBuilder<HttpSandboxRequest> builder)
    {
        builder.ToTable("HttpSandboxRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.CallId).HasMaxLength(200).IsRequired();
        builder.Property(r => r.IdempotencyKey).HasMaxLength(100).IsRequired();
        builder.HasIndex(r => r.IdempotencyKey).IsUnique();
        builder.HasIndex(r => r.RunId);
        builder.Property(r => r.AgentKey).HasMaxLength(64);
        builder.Property(r => r.ConnectionKey).HasMaxLength(ToolConnection.KeyMaxLength);
        builder.Property(r => r.Method).HasMaxLength(10);
        builder.Property(r => r.Url).HasMaxLength(4096);
    }
}
