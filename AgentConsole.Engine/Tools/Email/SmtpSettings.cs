namespace AgentConsole.Engine.Tools.Email;

/// <summary>
/// The live SMTP settings of the e-mail connection: <c>host</c>, <c>port</c>, <c>tls</c> (none / StartTls /
/// SslOnConnect) and <c>from</c> as settings; <c>username</c> and <c>password</c> as encrypted secrets.
/// </summary>
public sealed record SmtpSettings(string Host, int Port, SmtpTls Tls, string From, string? Username, string? Password)
{
    public const int DefaultPort = 587;

    /// <summary>The settings, or a <see cref="ToolFailureKind.Permanent"/> failure saying what an Admin must fix.</summary>
    public static SmtpSettings Read(ConnectionSnapshot connection)
    {
        var problems = Problems(connection, out var settings);
        return problems is null
            ? settings!
            : throw new ToolCallException(ToolFailureKind.Permanent, problems);
    }

    /// <summary>Null when the connection can send; otherwise what is missing or wrong, for the Tools page too.</summary>
    public static string? Problems(ConnectionSnapshot connection, out SmtpSettings? settings)
    {
        settings = null;
        var where = $"Connection '{connection.Key}'";
        var host = connection.Setting("host");
        if (host is null)
        {
            return $"{where} has no SMTP host: an Admin sets 'host' (and 'port', 'tls', 'from') in Settings.";
        }

        var port = connection.IntSetting("port") ?? DefaultPort;
        if (port is < 1 or > 65_535)
        {
            return $"{where} has SMTP port {port}; a port is 1–65535.";
        }

        SmtpTls tls;
        if (connection.Setting("tls") is { } tlsText)
        {
            if (!Enum.TryParse(tlsText, ignoreCase: true, out tls) || !Enum.IsDefined(tls))
            {
                return $"{where} has TLS mode '{tlsText}'; use none, StartTls or SslOnConnect.";
            }
        }
        else
        {
            tls = port == 465 ? SmtpTls.SslOnConnect : SmtpTls.StartTls;
        }

        var from = connection.Setting("from");
        if (!EmailAddresses.IsValid(from))
        {
            return $"{where} needs a sender: set 'from' to one e-mail address such as agents@example.com.";
        }

        var username = connection.Secret("username");
        var password = connection.Secret("password");
        if (!string.IsNullOrEmpty(username) && string.IsNullOrEmpty(password))
        {
            return $"{where} has an SMTP username but no password secret.";
        }

        settings = new SmtpSettings(host, port, tls, from!, string.IsNullOrEmpty(username) ? null : username, password);
        return null;
    }

    /// <summary>The domain Message-Ids are minted under: the sender's.</summary>
    public string Domain => From[(From.LastIndexOf('@') + 1)..];

    public override string ToString() => $"{Host}:{Port} ({Tls}) as {From}";
}
