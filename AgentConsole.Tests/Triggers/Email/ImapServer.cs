using System.Diagnostics;
using System.Globalization;
using AgentConsole.Tests.Triggers.Polling;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace AgentConsole.Tests.Triggers.Email;

/// <summary>
/// A real IMAP server: Debian's dovecot (package dovecot-imapd, installed by scripts/test.sh) started by the test with
/// a throwaway configuration — passwd-file users, maildirs under a temp folder, plain IMAP on a free loopback port.
/// It can be stopped and started again on the same port (an IMAP server that is down). Nothing is skipped: when
/// dovecot is missing the test fails and says to run scripts/test.sh.
/// </summary>
public sealed class ImapServer : IAsyncLifetime
{
    public const string User = "agent";
    public const string Password = "imap-test-pass";
    private const string Dovecot = "/usr/sbin/dovecot";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentconsole-imap", Guid.NewGuid().ToString("N"));
    private Process? _process;

    public string Host { get; } = "127.0.0.1";

    public int Port { get; } = TestProcess.FreePort();

    private string Config => Path.Combine(_folder, "dovecot.conf");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Dovecot))
        {
            throw new InvalidOperationException($"{Dovecot} is missing: run scripts/test.sh, which installs dovecot-imapd, or apt-get install dovecot-imapd.");
        }

        Directory.CreateDirectory(_folder);
        foreach (var dir in new[] { "mail", "home" })
        {
            // Mail is written as the mail user (nobody when the tests run as root).
            var path = Directory.CreateDirectory(Path.Combine(_folder, dir)).FullName;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(_folder, "users"), $"{User}:{{PLAIN}}{Password}\n");
        await File.WriteAllTextAsync(Config, Configuration());
        await StartAsync();
    }

    /// <summary>Starts dovecot (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Dovecot) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-F");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dovecot.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await TestProcess.WaitForPortAsync(Port, Log);
    }

    /// <summary>Stops dovecot: connections to <see cref="Port"/> are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    /// <summary>Puts a message into a folder with IMAP APPEND (creating the folder when needed); returns its UID.</summary>
    public async Task<uint> AppendAsync(MimeMessage message, string folder = "INBOX", MessageFlags flags = MessageFlags.None)
    {
        using var client = await ConnectAsync();
        var target = await FolderAsync(client, folder);
        var uid = await target.AppendAsync(message, flags);
        await client.DisconnectAsync(true);
        return uid?.Id ?? throw new InvalidOperationException("The server gave no UID for the appended message.");
    }

    /// <summary>The messages of a folder with their flags, by UID.</summary>
    public async Task<IReadOnlyList<(uint Uid, string? MessageId, bool Seen)>> ListAsync(string folder = "INBOX")
    {
        using var client = await ConnectAsync();
        var target = await FolderAsync(client, folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var summaries = target.Count == 0 ? [] : await target.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
        await client.DisconnectAsync(true);
        return [.. summaries.Select(s => (s.UniqueId.Id, s.Envelope?.MessageId?.Trim('<', '>'), s.Flags!.Value.HasFlag(MessageFlags.Seen)))];
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        TestProcess.DeleteFolder(_folder);
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name)
    {
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        var root = client.GetFolder(client.PersonalNamespaces[0]);
        return (await root.GetSubfoldersAsync()).FirstOrDefault(f => f.Name == name)
            ?? await root.CreateAsync(name, isMessageFolder: true)
            ?? throw new InvalidOperationException($"Could not create the folder {name}.");
    }

    private string Log()
    {
        var path = Path.Combine(_folder, "dovecot.log");
        return File.Exists(path) ? "dovecot log: " + File.ReadAllText(path) : "dovecot wrote no log.";
    }

    private string Configuration()
    {
        var root = TestProcess.IsRoot;
        var user = Environment.UserName;
        var mailUser = root ? "uid=nobody gid=nogroup" : string.Create(CultureInfo.InvariantCulture, $"uid={user} gid={user}");
        return $$"""
            base_dir = {{_folder}}/run
            state_dir = {{_folder}}/state
            log_path = {{_folder}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_failure_delay = 0
            default_internal_user = {{(root ? "dovecot" : user)}}
            default_internal_group = {{(root ? "dovecot" : user)}}
            default_login_user = {{(root ? "dovenull" : user)}}
            first_valid_uid = 1
            mail_location = maildir:{{_folder}}/mail/%u
            namespace inbox {
              inbox = yes
            }
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{_folder}}/users
            }
            userdb {
              driver = static
              args = {{mailUser}} home={{_folder}}/home/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """;
    }
}
