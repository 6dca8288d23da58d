using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace AgentConsole.Tests.Tools.Email;

/// <summary>A message the SMTP sink accepted: the SMTP envelope and the parsed message as delivered.</summary>
public sealed record DeliveredMail(string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, MimeMessage Message, string Raw);

/// <summary>
/// A real SMTP server on loopback: Debian's aiosmtpd (package python3-aiosmtpd, installed by scripts/test.sh) run by
/// a small handler script that saves each message as a file. Recipients named busy@… get a 451 and nobody@… a 550,
/// so tests see real 4xx/5xx replies; with credentials the server requires AUTH (plain text, loopback only). Nothing
/// is skipped: if the server cannot start, the test fails and says how to install it.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Script = """
        import json, os, sys, uuid
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        user = sys.argv[4] if len(sys.argv) > 4 else None
        password = sys.argv[5] if len(sys.argv) > 5 else None

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                local = address.split('@')[0].lower()
                if local == 'busy':
                    return '451 4.3.0 Mailbox busy, try again later'
                if local == 'nobody':
                    return '550 5.1.1 No such user here'
                envelope.rcpt_tos.append(address)
                return '250 OK'

            async def handle_DATA(self, server, session, envelope):
                name = uuid.uuid4().hex
                with open(os.path.join(folder, name + '.json'), 'w') as f:
                    json.dump({'from': envelope.mail_from, 'to': envelope.rcpt_tos}, f)
                tmp = os.path.join(folder, name + '.tmp')
                with open(tmp, 'wb') as f:
                    f.write(envelope.original_content or envelope.content)
                os.rename(tmp, os.path.join(folder, name + '.eml'))
                return '250 Message accepted for delivery'

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options = dict(authenticator=authenticate, auth_require_tls=False, auth_required=True) if user else {}
        controller = Controller(Handler(), hostname=host, port=port, **options)
        controller.start()
        print('ready', flush=True)
        try:
            sys.stdin.read()
        finally:
            controller.stop()
        """;

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _stderr;

    private SmtpSink(Process process, string folder, int port, StringBuilder stderr)
    {
        _process = process;
        _folder = folder;
        Port = port;
        _stderr = stderr;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>Starts the server; with <paramref name="username"/> it refuses mail from clients that do not log in.</summary>
    public static async Task<SmtpSink> StartAsync(string? username = null, string? password = null)
    {
        var python = FindPython();
        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-smtp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var script = Path.Combine(folder, "sink.py");
        await File.WriteAllTextAsync(script, Script);
        var mail = Directory.CreateDirectory(Path.Combine(folder, "mail")).FullName;
        var port = FreePort();

        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), mail })
        {
            start.ArgumentList.Add(argument);
        }

        if (username is not null)
        {
            start.ArgumentList.Add(username);
            start.ArgumentList.Add(password ?? "");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var sink = new SmtpSink(process, folder, port, stderr);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line != "ready")
            {
                throw new InvalidOperationException($"The aiosmtpd test server did not start ({python}): {sink.Errors()}");
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            await sink.DisposeAsync();
            throw new InvalidOperationException($"The aiosmtpd test server did not start within 30 s ({python}): {sink.Errors()}", ex);
        }

        return sink;
    }

    /// <summary>Waits until <paramref name="count"/> messages were delivered (the server writes each file atomically).</summary>
    public async Task<IReadOnlyList<DeliveredMail>> WaitForMailAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var files = Directory.GetFiles(Path.Combine(_folder, "mail"), "*.eml");
            if (files.Length >= count)
            {
                return [.. files.Select(Read).OrderBy(m => m.Message.Date)];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The SMTP sink holds {files.Length} message(s), expected {count}. Server output: {Errors()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Messages delivered so far (for asserting that nothing arrived).</summary>
    public int DeliveredCount => Directory.GetFiles(Path.Combine(_folder, "mail"), "*.eml").Length;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the OS cleans the temp folder.
            }
        }
    }

    private static DeliveredMail Read(string path)
    {
        var raw = File.ReadAllText(path);
        using var envelope = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")));
        var to = envelope.RootElement.GetProperty("to").EnumerateArray().Select(e => e.GetString()!).ToList();
        using var stream = File.OpenRead(path);
        return new DeliveredMail(envelope.RootElement.GetProperty("from").GetString()!, to, MimeMessage.Load(stream), raw);
    }

    private string Errors()
    {
        lock (_stderr)
        {
            return _stderr.Length == 0 ? "(no output)" : _stderr.ToString().Trim();
        }
    }

    /// <summary>Debian's python3 has the aiosmtpd package; a python3 earlier on PATH (pyenv, a venv) may not.</summary>
    private static string FindPython()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import aiosmtpd"]) { RedirectStandardError = true, UseShellExecute = false });
                if (probe is not null && probe.WaitForExit(TimeSpan.FromSeconds(20)) && probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under that name; try the next.
            }
        }

        throw new InvalidOperationException(
            "No python3 with the aiosmtpd module was found, so the real SMTP server these tests deliver to cannot start. "
            + "Install it with: apt-get install python3-aiosmtpd (scripts/test.sh does this when it is missing).");
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
