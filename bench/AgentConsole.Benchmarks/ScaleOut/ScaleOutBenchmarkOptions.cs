namespace AgentConsole.Benchmarks.ScaleOut;

internal sealed record ScaleOutBenchmarkOptions(
    int Runs,
    int Warmup,
    int Workers,
    int Producers,
    TimeSpan ModelDelay,
    int Rounds,
    string OutputPath);
