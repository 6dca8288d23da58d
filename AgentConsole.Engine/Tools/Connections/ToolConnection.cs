using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// A connector's configured instance: its mode, its settings and its credentials (encrypted with Data Protection,
/// never returned by the API or written to a log).
/// </summary>
public sealed class ToolConnection
{
    public const int KeyMaxLength = 64;

    public string Key { get; set; } = "";
    public string Connector { get; set; } = "";
    public string Name { get; set; } = "";
    public ConnectionMode Mode { get; set; } = ConnectionMode.Sandbox;

    /// <summary>Non-secret settings as a JSON object.</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>Secrets as a JSON object of name → value, protected with Data Protection; null when none are set.</summary>
    public string? ProtectedSecrets { get; set; }

    public SimulatedFailure SimulatedFailure { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    /// <summary>Incremented on every save; two Admins editing at once do not overwrite each other.</summary>
    public int Revision { get; set; }
}

internal sealed class ToolConnectionConfiguration : IEntityTypeConfiguration<ToolConnection>
{
    public void Configure(EntityTypeBuilder<ToolConnection> builder)
    {
        builder.ToTable("ToolConnections");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(ToolConnection.KeyMaxLength);
        builder.Property(c => c.Connector).HasMaxLength(64).IsRequired();
        builder.Property(c => c.Name).HasMaxLength(100).IsRequired();
        builder.Property(c => c.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.SimulatedFailure).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.UpdatedBy).HasMaxLength(256);
        builder.Property(c => c.Revision).IsConcurrencyToken();
    }
}
