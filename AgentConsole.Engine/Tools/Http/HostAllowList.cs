using System.Globalization;

namespace AgentConsole.Engine.Tools.Http;

/// <summary>
/// The hosts an HTTP API connection may reach: exact host names (or IP literals) with an optional port, and
/// "*.example.com" for subdomains. An entry without a port allows only the scheme's default port, so listing a host
/// does not open its admin ports too. Anything else (other hosts, unlisted IP literals, other schemes, credentials in
/// the URL) is refused before a request is built.
/// </summary>
public sealed class HostAllowList
{
    /// <summary>
    /// What a sandbox connection without an allow-list accepts: the domains reserved for examples (RFC 2606), which
    /// can never be a real system, so a demo agent can exercise the tool without anyone configuring it.
    /// </summary>
    public static readonly IReadOnlyList<string> SandboxDefaults = ["example.com", "*.example.com", "example.org", "*.example.org", "example.net", "*.example.net", "*.example"];

    private readonly IReadOnlyList<Entry> _entries;

    private HostAllowList(IReadOnlyList<Entry> entries) => _entries = entries;

    public bool IsEmpty => _entries.Count == 0;

    public IReadOnlyList<string> Entries => [.. _entries.Select(e => e.Text)];

    /// <summary>Parses the entries; an entry that is not a host name (paths, wildcards elsewhere, bad ports) is a configuration error.</summary>
    /// <exception cref="FormatException">An entry is malformed; the message names it.</exception>
    public static HostAllowList Parse(IEnumerable<string> entries)
    {
        var parsed = new List<Entry>();
        foreach (var raw in entries)
        {
            var text = raw.Trim().ToLowerInvariant();
            if (text.Length == 0)
            {
                continue;
            }

            parsed.Add(ParseEntry(text) ?? throw new FormatException(
                $"allowedHosts entry '{raw}' is not a host name with an optional port (e.g. api.example.com, api.example.com:8443, *.example.com)."));
        }

        return new HostAllowList(parsed);
    }

    /// <summary>Null when the URL may be requested, otherwise why not, in words an Admin and the model understand.</summary>
    public string? Refusal(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return $"'{uri}' is not an absolute URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"Only http and https URLs may be requested; '{uri.Scheme}' is refused.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "URLs with credentials (user:password@host) are refused; credentials come from the connection's secrets.";
        }

        var host = Unbracket(uri.IdnHost.ToLowerInvariant());
        var isIp = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
        foreach (var entry in _entries)
        {
            var portMatches = entry.Port is { } port ? port == uri.Port : uri.IsDefaultPort;
            if (!portMatches)
            {
                continue;
            }

            // A wildcard never matches an IP literal: "*.example.com" is about names, and an address is listed on its own.
            var hostMatches = entry.Subdomains
                ? !isIp && host.EndsWith("." + entry.Host, StringComparison.Ordinal)
                : string.Equals(host, entry.Host, StringComparison.Ordinal);
            if (hostMatches)
            {
                return null;
            }
        }

        var target = uri.IsDefaultPort ? host : $"{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        var allowed = _entries.Count == 0 ? "none is configured" : "allowed: " + string.Join(", ", _entries.Select(e => e.Text));
        return isIp
            ? $"{target} is an IP address that is not on the connection's allow-list ({allowed})."
            : $"{target} is not on the connection's allow-list ({allowed}).";
    }

    private static Entry? ParseEntry(string text)
    {
        var subdomains = text.StartsWith("*.", StringComparison.Ordinal);
        var rest = subdomains ? text[2..] : text;
        if (rest.Contains('*', StringComparison.Ordinal) || rest.Contains('/', StringComparison.Ordinal) || rest.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        string hostPart;
        string? portPart = null;
        if (rest.StartsWith('['))
        {
            var end = rest.IndexOf(']', StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            hostPart = rest[..(end + 1)];
            var after = rest[(end + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    return null;
                }

                portPart = after[1..];
            }
        }
        else
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                if (rest.LastIndexOf(':') != colon)
                {
                    return null;
                }

                (hostPart, portPart) = (rest[..colon], rest[(colon + 1)..]);
            }
            else
            {
                hostPart = rest;
            }
        }

        int? port = null;
        if (portPart is not null)
        {
            if (!int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                return null;
            }

            port = p;
        }

        if (Uri.CheckHostName(Unbracket(hostPart)) == UriHostNameType.Unknown
            || !Uri.TryCreate($"http://{hostPart}/", UriKind.Absolute, out var parsed))
        {
            return null;
        }

        var isIp = parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
        if (subdomains && isIp)
        {
            return null;
        }

        // Canonical form, as a request URL's host is compared: IDN to punycode, IPv4 in dotted form.
        return new Entry(text, Unbracket(parsed.IdnHost.ToLowerInvariant()), port, subdomains);
    }

    private static string Unbracket(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

    private sealed record Entry(string Text, string Host, int? Port, bool Subdomains);
}
