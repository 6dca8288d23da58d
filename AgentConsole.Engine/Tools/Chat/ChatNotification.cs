using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Chat;

/// <summary>A team-channel post the sandbox chat connection made: it stays in the app and shows on the Chat tab.</summary>
public sealed class ChatNotification : ISandboxEffect
{
    public long Id { get; set; }
    public Guid? RunId { get; set; }
    public string AgentKey { get; set; } = "";
    public string CallId { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Message { get; set; } = "";
    public DateTimeOffset PostedAt { get; set; }
}

internal sealed class ChatNotificationConfiguration : IEntityTypeConfiguration<ChatNotification>
{
    public void Configure(EntityTypeBuilder<ChatNotification> builder)
    {
        SandboxEffects.ConfigureEffect(builder, "SandboxChatMessages");
        builder.HasIndex(e => e.PostedAt);
        builder.Property(e => e.Channel).HasMaxLength(ChatConnector.MaxChannelChars);
        builder.Property(e => e.Message).HasMaxLength(ChatConnector.MaxMessageChars);
    }
}
