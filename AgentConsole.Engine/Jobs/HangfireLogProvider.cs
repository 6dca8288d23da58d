using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace AgentConsole.Engine.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide. The stock ASP.NET Core provider keeps the logger factory of the last
/// host that configured Hangfire and throws once that host is disposed, failing every other host's enqueue; this
/// one turns a disposed factory into silence instead.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name) => new Logger(factory, name);

    private sealed class Logger(ILoggerFactory factory, string name) : ILog
    {
        private ILogger? _logger;

        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var logger = _logger ??= factory.CreateLogger(name);
                var level = logLevel switch
                {
                    HangfireLevel.Trace => MsLevel.Trace,
                    HangfireLevel.Debug => MsLevel.Debug,
                    HangfireLevel.Info => MsLevel.Information,
                    HangfireLevel.Warn => MsLevel.Warning,
                    HangfireLevel.Error => MsLevel.Error,
                    _ => MsLevel.Critical,
                };
                if (!logger.IsEnabled(level))
                {
                    return false;
                }

                if (messageFunc is not null)
                {
#pragma warning disable CA1848, CA2254 // Hangfire hands over finished messages; there is no template to generate from.
                    logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
                }

                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
