namespace AgentConsole.Tests.Tools.Knowledge;

/// <summary>Nine short help-centre documents; each test query has one document that must rank first.</summary>
public static class KnowledgeCorpus
{
    public static readonly (string FileName, string Text)[] Documents =
    [
        ("returns-policy.md", """
            # Returns policy

            ## Refunds
            Customers get a full refund within 30 days of delivery when the item is unused. Refunds are paid to the original payment method within 5 business days.

            ## Exchanges
            An exchange for another size ships free of charge.
            """),
        ("shipping.md", """
            # Shipping

            ## Delivery times
            Orders ship from our Rotterdam warehouse. Standard delivery takes 3 to 5 working days within the EU; express delivery arrives the next day when ordered before 2 pm.

            ## International
            Shipments outside the EU pay import duties on arrival.
            """),
        ("pricing.md", """
            # Pricing

            ## Plans
            The Starter plan costs 29 euros per month for up to 5 users. The Growth plan costs 99 euros per month and includes the API.

            ## Discounts
            Non-profits receive a 20 percent discount on every plan; annual billing saves two months.
            """),
        ("security.md", """
            # Security
            All data is encrypted at rest with AES-256 and in transit with TLS 1.3. We are ISO 27001 certified and run a yearly penetration test. Single sign-on works with SAML and OpenID Connect.
            """),
        ("onboarding.txt", """
            Onboarding a new customer takes two calls. The first call sets up the workspace and imports contacts; the second trains the team on pipelines and reports.
            """),
        ("support-hours.md", """
            # Support
            Our support desk answers by chat and e-mail from 8:00 to 18:00 CET on weekdays. Enterprise customers have a phone hotline around the clock.
            """),
        ("data-retention.md", """
            # Data retention
            Deleted contacts stay in the recycle bin for 30 days, then they are purged permanently. Backups are kept for 90 days.
            """),
        ("integrations.md", """
            # Integrations
            The CRM integrates with Gmail, Outlook and Slack. Webhooks notify your systems when a deal changes stage.
            """),
        ("cancellation.md", """
            # Cancelling a subscription
            You can cancel your subscription at any time from the billing page; the plan stays active until the end of the paid period. No cancellation fee applies.
            """),
    ];

    public static async Task LoadAsync(KnowledgeTestBed bed, string agent = KnowledgeTestBed.Alpha)
    {
        foreach (var (fileName, text) in Documents)
        {
            await bed.AddAsync(agent, fileName, text);
        }
    }
}
