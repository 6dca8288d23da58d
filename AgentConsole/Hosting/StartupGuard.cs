using System.Text.RegularExpressions;
using AgentConsole.Engine;
using Microsoft.Extensions.Options;

namespace AgentConsole.Hosting;

/// <summary>
/// Builds and runs the app, turning configuration errors into one line per problem on stderr and exit code
/// <see cref="ConfigurationErrorExitCode"/> instead of an unhandled exception with a stack trace. Everything else
/// (a bug, the test host's own stop signal) passes through untouched.
/// </summary>
public static partial class StartupGuard
{
    /// <summary>EX_CONFIG from sysexits.h, so a supervisor can tell a bad setting from a crash and not restart in a loop.</summary>
    public const int ConfigurationErrorExitCode = 78;

    public static int Run(Func<WebApplication> build, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            var app = build();

            // Every ValidateOnStart check now, before any hosted service starts and logs the failure with its stack.
            app.Services.GetService<IStartupValidator>()?.Validate();
            app.Run();
            return 0;
        }
        catch (Exception e) when (Describe(e) is { Count: > 0 } problems)
        {
            error ??= Console.Error;
            foreach (var problem in problems)
            {
                error.WriteLine($"Configuration error: {problem}");
            }

            return ConfigurationErrorExitCode;
        }
    }

    /// <summary>One sentence per configuration problem in <paramref name="exception"/>; empty when it is not a configuration error.</summary>
    public static IReadOnlyList<string> Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case AggregateException aggregate:
            {
                var inner = aggregate.InnerExceptions.Select(Describe).ToList();
                return inner.All(i => i.Count > 0) ? [.. inner.SelectMany(i => i)] : [];
            }

            case OptionsValidationException validation:
                return [.. validation.Failures.Select(f => DescribeFailure(validation.OptionsType, f))];
            case InvalidConfigurationException invalid:
                return [invalid.Message];
            case InvalidOperationException when ConversionFailure().Match(exception.Message) is { Success: true } match:
                return [Conversion(match)];
            default:
                return [];
        }
    }

    private static string DescribeFailure(Type optionsType, string failure)
    {
        if (ConversionFailure().Match(failure) is { Success: true } conversion)
        {
            return Conversion(conversion);
        }

        var match = DataAnnotationFailure().Match(failure);
        if (!match.Success)
        {
            return failure;
        }

        var member = match.Groups["member"].Value;
        var message = match.Groups["error"].Value;

        // DataAnnotations' own wording ("The field WorkerCount must be between 1 and 200.") does not say where the
        // field is configured; the options classes all name their section in a Section constant.
        var section = optionsType.GetField("Section")?.GetValue(null) as string;
        var prefix = $"The field {member} ";
        return section is not null && message.StartsWith(prefix, StringComparison.Ordinal)
            ? $"{section}:{member} {message[prefix.Length..]}"
            : message;
    }

    private static string Conversion(Match match) =>
        $"{match.Groups["path"].Value} must be {Expected(match.Groups["type"].Value)} (got '{match.Groups["value"].Value}').";

    private static string Expected(string typeName)
    {
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        if (type is not null && type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        }

        return typeName switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
            "System.Decimal" or "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:05:00 (hh:mm:ss) or 1.00:00:00 (one day)",
            "System.Uri" => "an absolute URL",
            _ => $"a value of type {typeName}",
        };
    }

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex("^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
