using System.Diagnostics;

namespace AgentConsole.Benchmarks.Reliability;

/// <summary>The app as a child process on a data folder, its output appended to a log file; killed with SIGKILL.</summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Stopwatch _started = Stopwatch.StartNew();

    private AppProcess(Process process, StreamWriter log, string logPath)
    {
        (_process, _log, LogPath) = (process, log, logPath);
    }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public TimeSpan SinceStart => _started.Elapsed;

    public static AppProcess Start(string dll, string folder, Uri baseAddress, string apiKey, string logPath, double faultRatio = 0)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        info.ArgumentList.Add(dll);
        // The content root, so data/ (both databases, keys) lives in the temp folder and survives the kills.
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(folder);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        // Development: the audit key and data-protection keys may live in the data folder, as on a workstation.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["AgentConsole__Bootstrap__ApiKey"] = apiKey;
        info.Environment["AgentConsole__Bootstrap__AdminPassword"] = "Crash-Bench-Admin-2026!";
        info.Environment["AgentConsole__Demo__UserPassword"] = "Crash-Bench-Demo-2026!";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // R2: transient faults on sandbox connector attempts; the app's resilience must retry or escalate every one.
        info.Environment["AgentConsole__Tools__SandboxFaultRatio"] = faultRatio.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Logging__LogLevel__AgentConsole.Engine.Runs.EngineInstanceHeartbeat"] = "Information";
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the app.");
        var app = new AppProcess(process, log, logPath);
        process.OutputDataReceived += (_, e) => app.Write(e.Data);
        process.ErrorDataReceived += (_, e) => app.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        app.Write($"--- started pid {process.Id}");
        return app;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush; what is on disk is what the next process gets.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        Write($"--- killed pid {_process.Id}");
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
