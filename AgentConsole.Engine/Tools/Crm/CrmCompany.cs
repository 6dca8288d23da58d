using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>An account in the sandbox CRM.</summary>
public sealed class CrmCompany
{
    public const int NameMaxLength = 200;
    public const int DomainMaxLength = 253;
    public const int ReasonMaxLength = 500;

    public int Id { get; set; }

    public string Name
    {
        get;
        set
        {
            field = value;
            NormalizedName = Normalize(value);
        }
    } = "";

    /// <summary>The name in upper case, so names compare case-insensitively in SQL on any provider.</summary>
    public string NormalizedName { get; private set; } = "";

    /// <summary>E-mail domain of its people, lower case ("acme.example"); how an address finds its company.</summary>
    public string Domain { get; set; } = "";

    public string? Industry { get; set; }
    public int Employees { get; set; }
    public string OwningTeam { get; set; } = "";
    public bool ExistingCustomer { get; set; }

    /// <summary>
    /// Anything sent to this account's people is costly to undo (a key account, a deal in negotiation): the e-mail
    /// and calendar connectors raise such calls' stakes so the policy asks a person first.
    /// </summary>
    public bool HighStakes { get; set; }

    public string? HighStakesReason { get; set; }

    /// <summary>Estimated cost to undo anything sent to this account's people, in USD.</summary>
    public decimal HighStakesCostUsd { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
    public int Revision { get; set; }

    public string AccountId => CrmIds.Account(Id);

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();
}

internal sealed class CrmCompanyConfiguration : IEntityTypeConfiguration<CrmCompany>
{
    public void Configure(EntityTypeBuilder<CrmCompany> builder)
    {
        builder.ToTable("CrmCompanies");
        builder.Property(c => c.Name).HasMaxLength(CrmCompany.NameMaxLength).IsRequired();
        builder.Property(c => c.NormalizedName).HasMaxLength(CrmCompany.NameMaxLength).IsRequired();
        builder.HasIndex(c => c.NormalizedName).IsUnique();
        builder.Property(c => c.Domain).HasMaxLength(CrmCompany.DomainMaxLength).IsRequired();
        builder.HasIndex(c => c.Domain).IsUnique();
        builder.Property(c => c.Industry).HasMaxLength(100);
        builder.Property(c => c.OwningTeam).HasMaxLength(100).IsRequired();
        builder.Property(c => c.HighStakesReason).HasMaxLength(CrmCompany.ReasonMaxLength);
        builder.Property(c => c.HighStakesCostUsd).HasPrecision(12, 2);
        builder.Property(c => c.UpdatedBy).HasMaxLength(256);
        builder.Property(c => c.Revision).IsConcurrencyToken();
        builder.Ignore(c => c.AccountId);
    }
}
