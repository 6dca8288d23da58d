using System.Globalization;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>The ids agents and people see ("ACC-00001", "LEAD-00001"), so a model never guesses at raw row numbers.</summary>
public static class CrmIds
{
    public static string Account(int id) => $"ACC-{id:00000}";

    public static string Lead(int id) => $"LEAD-{id:00000}";

    public static string Task(int id) => $"TASK-{id:00000}";

    /// <summary>The row number of "LEAD-00042" (or "42"); null when the text is no lead id.</summary>
    public static int? ParseLead(string text)
    {
        var digits = text.Trim();
        if (digits.StartsWith("LEAD-", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[5..];
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }
}
