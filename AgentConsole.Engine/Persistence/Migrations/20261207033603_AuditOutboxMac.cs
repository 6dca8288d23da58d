using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuditOutboxMac : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyVersion",
                table: "AuditOutbox",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mac",
                table: "AuditOutbox",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            // Events sealed before key versions existed were sealed with the one key there was: version "1"
            // (AuditOptions.DefaultKeyVersion), so they keep verifying.
            migrationBuilder.AddColumn<string>(
                name: "KeyVersion",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "1");

            migrationBuilder.CreateTable(
                name: "AuditQuarantine",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OutboxId = table.Column<long>(type: "INTEGER", nullable: false),
                    QuarantinedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    Timestamp = table.Column<string>(type: "TEXT", nullable: true),
                    ActorType = table.Column<string>(type: "TEXT", nullable: true),
                    Actor = table.Column<string>(type: "TEXT", nullable: true),
                    Category = table.Column<string>(type: "TEXT", nullable: true),
                    Action = table.Column<string>(type: "TEXT", nullable: true),
                    AgentKey = table.Column<string>(type: "TEXT", nullable: true),
                    RunId = table.Column<string>(type: "TEXT", nullable: true),
                    Summary = table.Column<string>(type: "TEXT", nullable: true),
                    Payload = table.Column<string>(type: "TEXT", nullable: true),
                    KeyVersion = table.Column<string>(type: "TEXT", nullable: true),
                    Mac = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditQuarantine", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditQuarantine");

            migrationBuilder.DropColumn(
                name: "KeyVersion",
                table: "AuditOutbox");

            migrationBuilder.DropColumn(
                name: "Mac",
                table: "AuditOutbox");

            migrationBuilder.DropColumn(
                name: "KeyVersion",
                table: "AuditEvents");
        }
    }
}
