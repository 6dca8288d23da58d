namespace AgentConsole.Engine.Tools.Email;

/// <summary>How the connection to the SMTP server is secured (setting <c>tls</c>).</summary>
public enum SmtpTls
{
    /// <summary>Plain SMTP, no TLS even when offered (a relay on localhost, a test server).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, required (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}
