using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace AgentConsole.Engine.Tools.Email;

/// <summary>
/// Delivers one message over SMTP with MailKit and classifies every failure: what may pass on a later attempt
/// (connection refused, time-outs, 4xx replies) is transient; what needs an Admin (credentials, 5xx replies, TLS
/// set up wrongly) is permanent. Messages name the server, never the credentials.
/// </summary>
public static class SmtpSender
{
    public static async Task SendAsync(SmtpSettings settings, MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient();
        var server = $"SMTP server {settings.Host}:{settings.Port}";
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, Options(settings.Tls), ct);
            if (settings.Username is not null)
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (AuthenticationException ex)
        {
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"The {server} refused the connection's credentials: an Admin must correct the username or password secret.", ex) { Status = 535 };
        }
        catch (ServiceNotAuthenticatedException ex)
        {
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"The {server} requires a login: an Admin sets the connection's username and password secrets. ({ex.Message})", ex) { Status = 530 };
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            // 4xx: the server asks to try again later (greylisting, a full queue); 5xx: it will never accept this.
            var kind = code is >= 400 and < 500 ? ToolFailureKind.Transient : ToolFailureKind.Permanent;
            throw new ToolCallException(kind, $"The {server} answered {code}: {ex.Message.Trim()}", ex) { Status = code };
        }
        catch (SslHandshakeException ex)
        {
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"TLS with the {server} failed: check the connection's 'tls' mode and the server certificate.", ex);
        }
        catch (NotSupportedException ex)
        {
            // STARTTLS or AUTH required by the settings but not offered by the server: a configuration mismatch.
            throw new ToolCallException(ToolFailureKind.Permanent, $"The {server} does not support what the connection asks for: {ex.Message}", ex);
        }
        catch (SocketException ex)
        {
            throw new ToolCallException(ToolFailureKind.Transient, $"Could not connect to the {server}: {ex.SocketErrorCode}.", ex);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException)
        {
            throw new ToolCallException(ToolFailureKind.Transient, $"The conversation with the {server} broke off: {ex.Message}", ex);
        }
    }

    private static SecureSocketOptions Options(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
