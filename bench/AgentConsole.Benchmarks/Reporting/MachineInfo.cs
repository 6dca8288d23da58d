namespace AgentConsole.Benchmarks.Reporting;

/// <summary>What a results file says about the machine and build it was measured on.</summary>
internal static class MachineInfo
{
    public static string Build() =>
#if DEBUG
        "Debug build (timings not representative)";
#else
        "Release build";
#endif

    /// <summary>" (CPU model)" from /proc/cpuinfo, or nothing where it cannot be read.</summary>
    public static string Cpu()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return model is null ? "" : " (" + model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() + ")";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The one-minute load average: other processes on the machine change wall-clock figures.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
