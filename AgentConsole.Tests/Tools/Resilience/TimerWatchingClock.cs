using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>
/// A fake clock that tells which timers were created, so a test advances it only once the wait it means to end has
/// actually started (advancing earlier would not end that wait).
/// </summary>
public sealed class TimerWatchingClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    public ConcurrentQueue<TimeSpan> Timers { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Timers.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Waits (in real time) until a timer of <paramref name="dueTime"/> exists.</summary>
    public async Task TimerStartedAsync(TimeSpan dueTime, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Timers.Contains(dueTime))
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"No {dueTime} timer for {what}; timers: {string.Join(", ", Timers)}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Advances in <paramref name="step"/>s until <paramref name="task"/> ends; returns how much fake time passed.</summary>
    public async Task<TimeSpan> DriveAsync(Task task, TimeSpan step, int maxSteps = 10_000)
    {
        var start = GetUtcNow();
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            // Let the continuations of the last step run (they may start the next wait) before the next one.
            await Task.WhenAny(task, Task.Delay(5));
            if (!task.IsCompleted)
            {
                Advance(step);
            }
        }

        await task.WaitAsync(TimeSpan.FromSeconds(30));
        return GetUtcNow() - start;
    }
}
