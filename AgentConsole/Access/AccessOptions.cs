using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AgentConsole.Access;

/// <summary>Bound from <c>AgentConsole:Access</c>: how long a sign-in lasts and which reverse proxies are trusted.</summary>
public sealed class AccessOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Access";

    /// <summary>
    /// How often a cookie is checked against the user's security stamp: at most this long after a user is disabled,
    /// a password is reset or a role removed, the old cookie stops working on pages, the API and /hangfire.
    /// </summary>
    public TimeSpan SecurityStampValidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sliding lifetime: a session unused for this long ends.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Absolute lifetime: a session ends this long after sign-in however busy it is.</summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Addresses of reverse proxies whose X-Forwarded-For/-Proto/-Host headers are believed, besides loopback.
    /// A header from any other address is ignored, so a client cannot pick its own IP for the rate limits.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8) of trusted reverse proxies, besides loopback.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in front of the app may each add an X-Forwarded-For entry.</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SecurityStampValidationInterval < TimeSpan.Zero || SecurityStampValidationInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"{Section}:SecurityStampValidationInterval must be between 00:00:00 and 01:00:00.",
                [nameof(SecurityStampValidationInterval)]);
        }

        if (SessionIdleTimeout < TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"{Section}:SessionIdleTimeout must be at least 00:01:00.", [nameof(SessionIdleTimeout)]);
        }

        if (SessionAbsoluteLifetime < SessionIdleTimeout)
        {
            yield return new ValidationResult($"{Section}:SessionAbsoluteLifetime must be at least SessionIdleTimeout ({SessionIdleTimeout}).",
                [nameof(SessionAbsoluteLifetime)]);
        }

        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{Section}:KnownProxies entry '{proxy}' is not an IP address (e.g. 10.0.0.5).", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"{Section}:KnownNetworks entry '{network}' is not a CIDR network (e.g. 10.0.0.0/8).", [nameof(KnownNetworks)]);
        }
    }
}
