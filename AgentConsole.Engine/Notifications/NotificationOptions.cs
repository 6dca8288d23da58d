using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Notifications;

/// <summary>Escalation notifications (section <c>AgentConsole:Notifications</c>).</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Notifications";

    /// <summary>Used when <see cref="Backoff"/> is empty: a short outage is bridged quickly, a long one within a couple of hours.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultBackoff =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)];

    /// <summary>
    /// The console's address as reviewers reach it; deep links in e-mails and webhook messages start with it
    /// (<c>{PublicBaseUrl}/escalations/{id}</c>). The server cannot know it behind a proxy, so it is configured.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>How often the dispatcher looks for due deliveries when nothing woke it (retries become due this way).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts per delivery, the first included, before it is marked Failed and audited.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>
    /// Wait before the 2nd, 3rd, … attempt; the last entry repeats. Empty = <see cref="DefaultBackoff"/> (configuration
    /// binding appends to a non-empty default instead of replacing it, so the default lives apart).
    /// </summary>
    public TimeSpan[] Backoff { get; set; } = [];

    /// <summary>Whether this process delivers in the background. Off in tests, which call the dispatcher themselves.</summary>
    public bool ProcessInBackground { get; set; } = true;

    /// <summary>Longest one attempt may take (SMTP conversation or webhook request).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    private IReadOnlyList<TimeSpan> BackoffSchedule => Backoff.Length > 0 ? Backoff : DefaultBackoff;

    /// <summary>The wait after <paramref name="attempts"/> failed attempts.</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        var schedule = BackoffSchedule;
        return schedule[Math.Clamp(attempts - 1, 0, schedule.Count - 1)];
    }

    /// <summary>
    /// <see cref="PublicBaseUrl"/> as the base deep links resolve against (a method, not a property: validation reads
    /// every property, and this one cannot be built from an invalid value).
    /// </summary>
    public Uri LinkBase() => new(PublicBaseUrl.TrimEnd('/') + "/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            yield return new ValidationResult(
                $"AgentConsole:Notifications:PublicBaseUrl must be an absolute http(s) URL without query, such as https://console.example.com (got '{PublicBaseUrl}').",
                [nameof(PublicBaseUrl)]);
        }

        if (Backoff.Any(b => b < TimeSpan.FromSeconds(1) || b > TimeSpan.FromDays(1)))
        {
            yield return new ValidationResult("AgentConsole:Notifications:Backoff entries must be between 00:00:01 and 1.00:00:00.", [nameof(Backoff)]);
        }
    }
}
