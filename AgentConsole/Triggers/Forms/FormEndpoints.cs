using System.Net;
using AgentConsole.Access;
using AgentConsole.Components.Pages.Triggers.Forms;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Forms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentConsole.Triggers.Forms;

/// <summary>
/// The public web forms, <c>/forms/{key}</c>: static server-rendered pages with a plain HTML form POST (no sign-in, no
/// interactive circuit, no console layout). A submission passes the rate limit, antiforgery, the honeypot and the
/// form's own validation, is persisted in the trigger inbox and then answered with a redirect to the thank-you page, so
/// reloading it never submits twice.
/// </summary>
public static partial class FormEndpoints
{
    public static IEndpointRouteBuilder MapFormEndpoints(this IEndpointRouteBuilder app)
    {
        var forms = app.MapGroup("/forms").AllowAnonymous().ExcludeFromDescription();
        forms.MapGet("/{key}", ShowAsync);
        // Antiforgery is checked below rather than by the middleware, so a refusal is a page and is recorded.
        forms.MapPost("/{key}", SubmitAsync).DisableAntiforgery();
        forms.MapGet("/{key}/thanks", ThanksAsync);
        return app;
    }

    private static async Task<IResult> ShowAsync(string key, HttpContext context, TriggerDirectory directory, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (await FindAsync(directory, key, ct) is not { Trigger.Enabled: true } entry)
        {
            return NotFoundPage();
        }

        var form = FormDefinition.From(entry.Trigger.Name, entry.Settings);
        return FormPage(context, antiforgery, entry.Trigger.Key, form, null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> ThanksAsync(string key, TriggerDirectory directory, CancellationToken ct)
    {
        if (await FindAsync(directory, key, ct) is not { Trigger.Enabled: true } entry)
        {
            return NotFoundPage();
        }

        var form = FormDefinition.From(entry.Trigger.Name, entry.Settings);
        return Message(form.Title, form.ThankYou, StatusCodes.Status200OK, "thank-you");
    }

    private static async Task<IResult> SubmitAsync(
        string key,
        HttpContext context,
        TriggerDirectory directory,
        TriggerInbox inbox,
        FormSubmissionThrottle throttle,
        IAntiforgery antiforgery,
        IOptions<TriggerOptions> options,
        ILogger<FormSubmissionThrottle> logger,
        CancellationToken ct)
    {
        if (await FindAsync(directory, key, ct) is not { } entry)
        {
            return NotFoundPage();
        }

        var trigger = entry.Trigger;
        var client = context.Connection.RemoteIpAddress;
        var source = Source(client);
        if (throttle.Acquire(trigger.Key, client) is { Allowed: false } refused)
        {
            // Not recorded: a flood must not become a flood of database rows.
            var seconds = RequestThrottle.RetryAfterHeader(refused.RetryAfter);
            context.Response.Headers.RetryAfter = seconds;
            return Message("Too many submissions", $"This form was sent from your address too often. Please try again in {seconds} seconds.",
                StatusCodes.Status429TooManyRequests, "too-many");
        }

        if (!trigger.Enabled)
        {
            await inbox.RejectAsync(trigger, "The form is disabled.", source, ct);
            return NotFoundPage();
        }

        if (!context.Request.HasFormContentType)
        {
            await inbox.RejectAsync(trigger, $"Not a form submission (Content-Type '{context.Request.ContentType}').", source, ct);
            return Message("Not a form submission", "Please send the form from its page.", StatusCodes.Status415UnsupportedMediaType, "bad-request");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxBodyBytes;
        }

        IFormCollection posted;
        try
        {
            posted = await context.Request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException)
        {
            var tooLarge = ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || ex is InvalidDataException;
            await inbox.RejectAsync(trigger, tooLarge ? $"Form body larger than {options.Value.MaxBodyBytes:N0} bytes." : "Malformed form body.", source, ct);
            return tooLarge
                ? Message("Submission too large", "What you entered is too long to send. Please shorten it and try again.", StatusCodes.Status413PayloadTooLarge, "bad-request")
                : Message("Could not read the form", "Please reload the form and try again.", StatusCodes.Status400BadRequest, "bad-request");
        }

        var form = FormDefinition.From(trigger.Name, entry.Settings);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            await inbox.RejectAsync(trigger, "Antiforgery token missing or invalid.", source, ct);
            return Message("This form has expired", "Please reload the form and send it again.", StatusCodes.Status400BadRequest, "expired",
                $"/forms/{trigger.Key}");
        }

        if (!string.IsNullOrEmpty(posted[FormTriggerHandler.HoneypotName]))
        {
            // A bot filled the invisible field: it sees success (so it does not adapt), the form's owner sees the refusal.
            await inbox.RejectAsync(trigger, "honeypot", source, ct);
            return SeeThanks(context, trigger.Key);
        }

        var submission = FormSubmission.Check(form, name => posted.TryGetValue(name, out var value) ? value.ToString() : null);
        if (!submission.Valid)
        {
            return FormPage(context, antiforgery, trigger.Key, form, submission, StatusCodes.Status400BadRequest);
        }

        var receipt = await inbox.ReceiveAsync(trigger, new TriggerIntake(submission.Payload, Source: source), ct);
        LogSubmitted(logger, trigger.Key, receipt.EventId);
        return SeeThanks(context, trigger.Key);
    }

    // 303: the browser follows with a GET, so reloading the thank-you page never posts the form again.
    private static StatusCodeHttpResult SeeThanks(HttpContext context, string key)
    {
        context.Response.Headers.Location = $"/forms/{key}/thanks";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static async Task<TriggerEntry?> FindAsync(TriggerDirectory directory, string key, CancellationToken ct)
    {
        var normalized = key.Trim().ToLowerInvariant();
        if (normalized.Length is 0 or > 64)
        {
            return null;
        }

        return await directory.FindAsync(normalized, ct) is { Trigger.Kind: TriggerKind.Form } entry ? entry : null;
    }

    private static string Source(IPAddress? client) =>
        client is null ? "unknown" : client.IsIPv4MappedToIPv6 ? client.MapToIPv4().ToString() : client.ToString();

    private static RazorComponentResult<PublicFormPage> FormPage(HttpContext context, IAntiforgery antiforgery, string key, FormDefinition form, FormSubmission? submission, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new RazorComponentResult<PublicFormPage>(new Dictionary<string, object?>
        {
            [nameof(PublicFormPage.Form)] = form,
            [nameof(PublicFormPage.Action)] = $"/forms/{key}",
            [nameof(PublicFormPage.AntiforgeryField)] = tokens.FormFieldName,
            [nameof(PublicFormPage.AntiforgeryToken)] = tokens.RequestToken,
            [nameof(PublicFormPage.Submission)] = submission,
        })
        {
            StatusCode = status,
        };
    }

    private static RazorComponentResult<PublicFormMessage> NotFoundPage() =>
        Message("Form not found", "There is no form at this address, or it is no longer accepting submissions.", StatusCodes.Status404NotFound, "not-found");

    private static RazorComponentResult<PublicFormMessage> Message(string title, string text, int status, string kind, string? link = null) =>
        new(new Dictionary<string, object?>
        {
            [nameof(PublicFormMessage.Title)] = title,
            [nameof(PublicFormMessage.Text)] = text,
            [nameof(PublicFormMessage.Kind)] = kind,
            [nameof(PublicFormMessage.Link)] = link,
        })
        {
            StatusCode = status,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Form {Key} submitted as event {EventId}")]
    private static partial void LogSubmitted(ILogger logger, string key, Guid eventId);
}
