using System.Globalization;
using AgentConsole.Engine.Audit;

namespace AgentConsole.Benchmarks.Audit;

/// <summary>
/// Deterministic stream of realistic audit entries: agent runs (trigger, decision, model and tool calls,
/// sometimes an escalation and the human review that clears it) interleaved with configuration and security
/// events. Text is built from a domain vocabulary with many distinct tokens (companies, people, ids, amounts),
/// so the FTS5 index has the size and term distribution of a real log rather than of a repeated sentence.
/// </summary>
internal sealed class AuditCorpus
{
    public static readonly string[] Agents =
    [
        "lead-router", "invoice-triage", "support-deflector", "refund-approver", "contract-reviewer",
        "churn-watch", "meeting-scheduler", "expense-auditor", "onboarding-guide", "vendor-screener",
    ];

    // Agents do not all run equally often; the first ones are the busy ones.
    private static readonly int[] AgentWeights = [22, 18, 14, 10, 8, 8, 6, 6, 4, 4];

    private static readonly string[] FirstNames =
    [
        "maria", "james", "aisha", "chen", "olga", "pedro", "fatima", "liam", "yuki", "noah", "ines", "tom",
        "priya", "lucas", "sara", "ahmed", "emma", "kofi", "hana", "david",
    ];

    private static readonly string[] LastNames =
    [
        "lopez", "smith", "khan", "wang", "ivanova", "santos", "haddad", "murphy", "tanaka", "becker", "silva",
        "novak", "patel", "martin", "berg", "nasser", "dubois", "mensah", "kim", "cohen",
    ];

    private static readonly string[] CompanyStems =
    [
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Soylent",
        "Cyberdyne", "Tyrell", "Aperture", "Oscorp", "Gringotts", "Monarch", "Nakatomi", "Pendant", "Sterling",
        "Dunder", "Bluth", "Prestige", "Gekko", "Kruger", "Olivia", "Zorg", "Vehement", "Massive", "Duff", "Krusty",
    ];

    private static readonly string[] CompanySuffixes =
    [
        "Logistics", "Foods", "Analytics", "Health", "Capital", "Robotics", "Media", "Labs", "Retail", "Energy",
        "Systems", "Partners", "Freight", "Pharma", "Insurance", "Studios", "Holdings", "Mobility", "Textiles", "Security",
    ];

    private static readonly string[] Segments = ["SMB", "Mid-market", "Enterprise", "Strategic"];
    private static readonly string[] Regions = ["EMEA", "NA-East", "NA-West", "LATAM", "APAC", "DACH", "Nordics"];
    private static readonly string[] Teams = ["inside-sales", "field-sales", "partner-desk", "enterprise-ae", "review-queue", "nurture"];
    private static readonly string[] Crms = ["salesforce", "hubspot", "pipedrive", "zendesk", "netsuite", "quickbooks", "stripe", "docusign"];
    private static readonly string[] Sources = ["hubspot", "typeform", "stripe", "zendesk", "gmail", "salesforce", "calendly", "webflow"];
    private static readonly string[] Models = ["gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini", "llama-3.3-70b", "qwen2.5-32b", "mistral-large"];
    private static readonly string[] HitPolicies = ["UNIQUE", "FIRST", "PRIORITY", "COLLECT", "ANY", "RULE ORDER"];
    private static readonly string[] Queues = ["finance-review", "sales-ops", "legal-review", "support-tier2", "procurement", "security-desk"];
    private static readonly string[] DefaultActions = ["reject", "cancel", "approve-if-reversible", "hold"];
    private static readonly string[] Ips = ["10.4.12.7", "172.16.3.41", "192.168.8.20", "10.9.0.15", "172.20.1.9", "10.1.44.2"];

    private static readonly string[] EscalationReasons =
    [
        "credit limit exceeded", "amount above auto-approval threshold", "customer asked for a human",
        "duplicate invoice suspected", "missing purchase order", "budget cap reached", "step limit reached",
        "tool failure persisted after retries", "low confidence classification", "contract clause not recognised",
        "cost to undo above $100", "sanctioned country in billing address", "VAT number does not validate",
    ];

    private static readonly string[] ToolErrors =
    [
        "timeout after 30 s", "HTTP 429 rate limit", "HTTP 503 service unavailable", "connection reset",
        "circuit breaker open", "HTTP 409 conflict", "validation error: missing field",
    ];

    private static readonly string[] Guidance =
    [
        "check the purchase order first", "ask the customer for the VAT number", "route to the partner desk instead",
        "use the enterprise price list", "split the refund into two payments", "wait for the signed contract",
        "confirm the shipping address by phone", "attach the delivery note before approving",
    ];

    private static readonly string[] Subjects =
    [
        "Question about my invoice", "Pricing for 200 seats", "Refund request for order", "Contract renewal",
        "Cannot log in to the portal", "Demo request", "Wrong amount charged", "Cancel my subscription",
        "Partnership inquiry", "Shipment delayed again",
    ];

    private static readonly (string Name, string Verb, string Entity, string Access, string Reach)[] Tools =
    [
        ("crm.update_lead", "updated", "lead", "write", "internal"),
        ("crm.lookup_account", "looked up", "account", "read", "internal"),
        ("crm.create_task", "created a task for", "lead", "write", "internal"),
        ("erp.post_invoice", "posted", "invoice", "write", "internal"),
        ("erp.lookup_vendor", "looked up", "vendor", "read", "internal"),
        ("payments.issue_refund", "refunded", "order", "write", "external"),
        ("email.send_reply", "sent a reply about", "ticket", "write", "external"),
        ("calendar.book_meeting", "booked a meeting for", "lead", "write", "external"),
        ("kb.search_articles", "searched articles for", "ticket", "read", "internal"),
        ("slack.notify_channel", "notified the channel about", "case", "write", "internal"),
        ("docs.extract_clauses", "extracted clauses from", "contract", "read", "internal"),
        ("sanctions.screen_party", "screened", "vendor", "read", "external"),
    ];

    private static readonly string[] KeyScopes = ["webhooks", "audit:read"];

    private static readonly string[] ApiKeyNames =
    [
        "crm-webhook", "zapier-bridge", "typeform-intake", "stripe-events", "ops-scripts", "nightly-import",
        "helpdesk-sync", "erp-connector", "calendar-sync", "reporting",
    ];

    private readonly Random _random;
    private readonly AuditActor[] _actors;
    private readonly string[] _companies;
    private readonly int _agentWeightTotal = AgentWeights.Sum();
    private readonly Queue<AuditEntry> _pending = new();
    private readonly Queue<(string Agent, string RunId, string EscalationId, string Entity, string Id)> _awaitingReview = new();
    private long _runCounter;
    private long _idCounter = 100_000;

    public AuditCorpus(int seed)
    {
        _random = new Random(seed);
        // 50 actors: 39 people, 10 API keys and the system. Agent steps are attributed to their run.
        var people = new List<AuditActor>();
        for (var i = 0; people.Count < 39; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[(i * 7 + i / FirstNames.Length) % LastNames.Length];
            people.Add(AuditActor.User($"{first}.{last}@northwind.example"));
        }

        _actors = [.. people, .. ApiKeyNames.Select(k => new AuditActor(AuditActorType.ApiKey, k)), AuditActor.System];
        _companies = [.. CompanyStems.SelectMany(s => CompanySuffixes.Select(x => $"{s} {x}"))];
    }

    public int ActorCount => _actors.Length;

    public AuditEntry Next()
    {
        if (_pending.Count == 0)
        {
            // About one event in eight happens outside an agent run.
            var roll = _random.Next(100);
            if (roll < 6 && _awaitingReview.Count > 0)
            {
                _pending.Enqueue(HumanReview());
            }
            else if (roll < 9)
            {
                _pending.Enqueue(ConfigurationChange());
            }
            else if (roll < 12)
            {
                _pending.Enqueue(SecurityEvent());
            }
            else
            {
                foreach (var entry in Run())
                {
                    _pending.Enqueue(entry);
                }
            }
        }

        return _pending.Dequeue();
    }

    private IEnumerable<AuditEntry> Run()
    {
        var agent = PickAgent();
        var runId = "run-" + (++_runCounter).ToString("x6", CultureInfo.InvariantCulture) + "-" + Hex(4);
        var actor = AuditActor.Run(runId);
        var company = Pick(_companies);
        var contact = Contact(company);
        var tool = Pick(Tools);
        var entityId = EntityId(tool.Entity);
        var source = Pick(Sources);

        yield return new AuditEntry(
            AuditCategory.Trigger,
            "trigger." + Pick(["webhook", "webhook", "form", "email", "schedule", "crm-status"]),
            actor,
            Pick([
                $"Webhook from {source} received for {tool.Entity} {entityId} ({company})",
                $"Email from {contact} received in the {agent} inbox: \"{Pick(Subjects)}\"",
                $"Form submission from {contact} at {company}: {Pick(Subjects)}",
                $"Scheduled run of {agent} picked up {tool.Entity} {entityId}",
            ]),
            new
            {
                source,
                @event = tool.Entity + "." + Pick(["created", "updated", "status-changed"]),
                entityId,
                company,
                contact,
                segment = Pick(Segments),
                region = Pick(Regions),
                amount = Amount(),
                currency = Pick(["EUR", "USD", "GBP"]),
                signature = "sha256=" + Hex(16),
                // Now and then a connector forwards a credential it should not; the audit log redacts it.
                authorization = _random.Next(100) < 3 ? "Bearer " + Hex(12) : null,
            },
            agent,
            runId);

        var segment = Pick(Segments);
        var team = Pick(Teams);
        var employees = _random.Next(3, 20_000);
        var table = agent.Split('-')[0] + "-" + Pick(["routing", "approval", "triage", "limits", "scoring"]);
        var version = _random.Next(1, 40);
        var rule = _random.Next(1, 30);
        yield return new AuditEntry(
            AuditCategory.Decision,
            "decision.evaluated",
            actor,
            Pick([
                $"Decision table {table} v{version} matched rule {rule} ({Pick(HitPolicies)}): route to {team}",
                $"Lead {company} scored {_random.Next(1, 100)}: {segment}, {employees} employees, {Pick(Regions)} -> {team}",
                $"Invoice {entityId} from {company}: amount {Amount()} within limits, approve automatically",
                $"No rule of {table} v{version} matched; falling back to {team}",
            ]),
            new
            {
                table,
                version,
                hitPolicy = Pick(HitPolicies),
                inputs = new { segment, employees, region = Pick(Regions), amount = Amount() },
                matchedRules = new[] { rule },
                outputs = new { team, priority = Pick(["low", "normal", "high", "urgent"]) },
                reasoning = $"{segment} account in {Pick(Regions)} with {employees} employees; rule {rule} applies",
            },
            agent,
            runId);

        var steps = _random.Next(1, 7);
        for (var step = 1; step <= steps; step++)
        {
            var model = Pick(Models);
            var tokensIn = _random.Next(300, 12_000);
            var tokensOut = _random.Next(20, 1_500);
            var cost = Math.Round((tokensIn * 0.4 + tokensOut * 1.6) / 1_000_000, 6);
            var latency = _random.Next(180, 9_000);
            yield return new AuditEntry(
                AuditCategory.Model,
                "model.call",
                actor,
                Pick([
                    $"Model call to {model}: {tokensIn} tokens in, {tokensOut} out, ${cost.ToString("0.0000", CultureInfo.InvariantCulture)} in {latency} ms",
                    $"Model {model} proposed {tool.Name} for {tool.Entity} {entityId}",
                    $"Model {model} answered {contact} about {Pick(Subjects).ToLowerInvariant()}",
                ]),
                new
                {
                    model,
                    provider = Pick(["openai", "azure-openai", "vllm", "ollama"]),
                    step,
                    tokensIn,
                    tokensOut,
                    costUsd = cost,
                    latencyMs = latency,
                    finishReason = Pick(["tool_calls", "stop", "stop", "length"]),
                },
                agent,
                runId);

            tool = _random.Next(3) == 0 ? Pick(Tools) : tool;
            var crm = Pick(Crms);
            var failed = _random.Next(100) < 7;
            var error = Pick(ToolErrors);
            yield return new AuditEntry(
                AuditCategory.Tool,
                failed ? "tool.failed" : "tool.call",
                actor,
                failed
                    ? $"Tool {tool.Name} failed on {tool.Entity} {entityId} in {crm}: {error}; retry {_random.Next(1, 4)} of 3"
                    : $"Tool {tool.Name} {tool.Verb} {tool.Entity} {entityId} in {crm} ({company})",
                new
                {
                    tool = tool.Name,
                    access = tool.Access,
                    reach = tool.Reach,
                    step,
                    arguments = new { id = entityId, company, owner = team, note = failed ? null : Pick(Guidance) },
                    result = failed ? (object)new { status = "error", error } : new { status = "ok", crm, recordUrl = $"https://{crm}.example/{tool.Entity}/{entityId}" },
                    attempt = failed ? _random.Next(1, 4) : 1,
                    latencyMs = _random.Next(40, 4_000),
                    idempotencyKey = runId + ":" + step.ToString(CultureInfo.InvariantCulture),
                },
                agent,
                runId);
        }

        if (_random.Next(100) < 12)
        {
            var reason = Pick(EscalationReasons);
            var queue = Pick(Queues);
            var escalationId = "esc-" + Hex(5);
            yield return new AuditEntry(
                AuditCategory.Escalation,
                "escalation.raised",
                actor,
                $"Escalated {tool.Entity} {entityId} ({company}) to {queue}: {reason}",
                new
                {
                    escalationId,
                    reason,
                    queue,
                    slaHours = Pick([4, 8, 24, 48]),
                    defaultAction = Pick(DefaultActions),
                    context = $"{agent} stopped before {tool.Name} on {tool.Entity} {entityId}: {reason}",
                },
                agent,
                runId);
            _awaitingReview.Enqueue((agent, runId, escalationId, tool.Entity, entityId));
        }
    }

    private AuditEntry HumanReview()
    {
        var (agent, runId, escalationId, entity, id) = _awaitingReview.Dequeue();
        var reviewer = PickPerson();
        var outcome = _random.Next(100);
        if (outcome < 8)
        {
            var action = Pick(DefaultActions);
            return new AuditEntry(
                AuditCategory.Escalation,
                "escalation.timed-out",
                AuditActor.System,
                $"Escalation {escalationId} on {entity} {id} timed out; default action {action} applied",
                new { escalationId, defaultAction = action, waitedHours = _random.Next(4, 72) },
                agent,
                runId);
        }

        var guidance = Pick(Guidance);
        var (verb, action2) = outcome switch
        {
            < 55 => ("approved", "review.approved"),
            < 70 => ("approved with edits", "review.edited"),
            < 85 => ("rejected", "review.rejected"),
            _ => ("returned with guidance", "review.returned"),
        };
        return new AuditEntry(
            AuditCategory.Human,
            action2,
            reviewer,
            $"{reviewer.Name} {verb} {entity} {id}" + (action2 is "review.edited" or "review.returned" ? $": {guidance}" : ""),
            new { escalationId, decision = verb, guidance = action2 == "review.returned" ? guidance : null, waitedMinutes = _random.Next(1, 600) },
            agent,
            runId);
    }

    private AuditEntry ConfigurationChange()
    {
        var agent = PickAgent();
        var actor = PickPerson();
        var version = _random.Next(2, 60);
        return _random.Next(4) switch
        {
            0 => new AuditEntry(
                AuditCategory.Configuration,
                "decision-table.published",
                actor,
                $"Published decision table {agent.Split('-')[0]}-routing v{version} for {agent}",
                new { agent, table = agent.Split('-')[0] + "-routing", version, rules = _random.Next(4, 60), testsPassed = _random.Next(50, 200) },
                agent),
            1 => new AuditEntry(
                AuditCategory.Configuration,
                "prompt.published",
                actor,
                $"Published system prompt v{version} of {agent} ({_random.Next(1_500, 4_000)} words)",
                new { agent, version, words = _random.Next(1_500, 4_000), prohibitions = _random.Next(5, 11) },
                agent),
            2 => new AuditEntry(
                AuditCategory.Configuration,
                "tool.granted",
                actor,
                $"Granted tool {Pick(Tools).Name} to {agent}",
                new { agent, tool = Pick(Tools).Name, autonomy = Pick(["internal-updates", "external-low-stakes", "review-required"]) },
                agent),
            _ => new AuditEntry(
                AuditCategory.Configuration,
                "agent.updated",
                actor,
                $"Updated {agent}: step limit {_random.Next(5, 30)}, budget ${_random.Next(1, 10)} per run",
                new { agent, changes = new[] { new { field = "StepLimit", from = 15, to = _random.Next(5, 30) } } },
                agent),
        };
    }

    private AuditEntry SecurityEvent()
    {
        var person = PickPerson();
        var ip = Pick(Ips);
        return _random.Next(10) switch
        {
            < 7 => new AuditEntry(AuditCategory.Security, "user.signed-in", person, $"{person.Name} signed in from {ip}",
                new { ip, userAgent = Pick(["Firefox 140", "Chrome 141", "Safari 19", "Edge 141"]), method = "password" }),
            < 9 => new AuditEntry(AuditCategory.Security, "user.sign-in-failed", person, $"Failed sign-in for {person.Name} from {ip}: wrong password",
                new { ip, attempt = _random.Next(1, 5), reason = "wrong password" }),
            _ => new AuditEntry(AuditCategory.Security, "api-key.created", person, $"API key {Pick(ApiKeyNames)}-{Hex(2)} created by {person.Name}",
                new { name = Pick(ApiKeyNames), scopes = KeyScopes, keyPrefix = "ac_" + Hex(3) }),
        };
    }

    private string PickAgent()
    {
        var roll = _random.Next(_agentWeightTotal);
        for (var i = 0; i < Agents.Length; i++)
        {
            roll -= AgentWeights[i];
            if (roll < 0)
            {
                return Agents[i];
            }
        }

        return Agents[^1];
    }

    private AuditActor PickPerson() => _actors[_random.Next(39)];

    private string Contact(string company) =>
        $"{Pick(FirstNames)}.{Pick(LastNames)}@{company.Split(' ')[0].ToLowerInvariant()}.example";

    private string EntityId(string entity) => entity switch
    {
        "invoice" => $"INV-2026-{++_idCounter:D6}",
        "order" => $"SO-{++_idCounter:D7}",
        "ticket" => $"T-{++_idCounter}",
        "contract" => $"CTR-{++_idCounter}",
        "vendor" => $"V-{++_idCounter % 5_000:D5}",
        _ => $"L-{++_idCounter}",
    };

    private string Amount() => (_random.Next(20, 250_000) / 100.0m).ToString("0.00", CultureInfo.InvariantCulture);

    private string Hex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
