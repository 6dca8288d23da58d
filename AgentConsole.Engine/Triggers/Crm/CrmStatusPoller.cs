using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Crm;
using AgentConsole.Engine.Triggers.Polling;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Triggers.Crm;

/// <summary>
/// Reads the sandbox CRM's status history (<c>CrmStatusHistory</c>) above the trigger's cursor (the last history row id
/// it looked at), so a change made by the /crm page, by any agent or by another instance is seen exactly once per
/// trigger and never lost: the cursor moves only after the row's event is in the inbox (idempotency key
/// <c>crm-status:{row id}</c>). The first poll starts at the newest row (history is not replayed). Skipped: a lead's
/// creation (no "from") and changes made by a run of the trigger's own agent, so an agent that sets the status it is
/// triggered by cannot start itself again and again.
/// </summary>
public sealed class CrmStatusPoller(IDbContextFactory<AgentConsoleDbContext> dbFactory, TriggerInbox inbox) : ITriggerPoller
{
    public const int MaxChangesPerPoll = 500;

    public TriggerKind Kind => TriggerKind.CrmStatus;

    // Reading the local history is cheap: look at every tick of the polling job.
    public TimeSpan Interval(TriggerEntry entry) => TimeSpan.Zero;

    public async Task PollAsync(TriggerPoll poll, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var history = db.Set<CrmStatusChange>().AsNoTracking();
        if (!long.TryParse(poll.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            var newest = await history.MaxAsync(h => (long?)h.Id, ct) ?? 0;
            poll.MoveCursor(newest.ToString(CultureInfo.InvariantCulture));
            return;
        }

        var changes = await history.Where(h => h.Id > cursor).OrderBy(h => h.Id).Take(MaxChangesPerPoll).ToListAsync(ct);
        if (changes.Count == 0)
        {
            return;
        }

        var leadIds = changes.Select(c => c.LeadId).Distinct().ToList();
        var leads = await db.Set<CrmLead>().AsNoTracking().Where(l => leadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var runIds = changes.Where(c => c.RunId is not null).Select(c => c.RunId!.Value).Distinct().ToList();
        var ownRuns = (await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id) && r.AgentKey == poll.Trigger.AgentKey).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        foreach (var change in changes)
        {
            if (change.From is not null && !(change.RunId is { } runId && ownRuns.Contains(runId))
                && CrmStatusTriggerHandler.Matches(poll.Entry.Settings, change.From, change.To))
            {
                var payload = Payload(change, leads.GetValueOrDefault(change.LeadId));
                await inbox.ReceiveAsync(poll.Trigger, new TriggerIntake(payload, $"crm-status:{change.Id}", $"crm:{change.Actor}"), ct);
                poll.Counted();
            }

            poll.MoveCursor(change.Id.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static JsonObject Payload(CrmStatusChange change, CrmLead? lead) => new()
    {
        ["leadId"] = CrmIds.Lead(change.LeadId),
        ["from"] = change.From?.ToString(),
        ["to"] = change.To.ToString(),
        ["changedBy"] = change.Actor,
        ["reason"] = change.Reason,
        ["at"] = change.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        ["runId"] = change.RunId?.ToString(),
        ["lead"] = lead is null ? null : new JsonObject
        {
            ["leadId"] = lead.LeadId,
            ["name"] = lead.Name,
            ["email"] = lead.Email,
            ["company"] = lead.CompanyName,
            ["status"] = lead.Status.ToString(),
            ["route"] = lead.Route,
            ["owner"] = lead.Owner,
        },
    };
}
