using Microsoft.AspNetCore.Identity;

namespace AgentConsole.Engine.Access;

/// <summary>A person who signs in to the console.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Disabled users cannot sign in and their sessions end at the next revalidation.</summary>
    public bool IsDisabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
