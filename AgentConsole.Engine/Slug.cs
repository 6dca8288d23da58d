using System.Text;

namespace AgentConsole.Engine;

/// <summary>URL-safe keys from display names ("Inbound lead router" → "inbound-lead-router"), shared by agents and decisions.</summary>
public static class Slug
{
    public static string From(string name, int maxLength = 64)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var slug = sb.ToString().Trim('-');
        return slug.Length > maxLength ? slug[..maxLength].Trim('-') : slug;
    }
}
