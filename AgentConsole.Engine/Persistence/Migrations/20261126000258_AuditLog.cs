using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "AuditOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditOutbox", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Action_Sequence",
                table: "AuditEvents",
                columns: new[] { "Action", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Actor_Sequence",
                table: "AuditEvents",
                columns: new[] { "Actor", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_AgentKey_Sequence",
                table: "AuditEvents",
                columns: new[] { "AgentKey", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Category_Sequence",
                table: "AuditEvents",
                columns: new[] { "Category", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_RunId_Sequence",
                table: "AuditEvents",
                columns: new[] { "RunId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Timestamp",
                table: "AuditEvents",
                column: "Timestamp");

            // Full-text index over summary and payload, kept in step with AuditEvents by triggers.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE AuditSearch USING fts5(Summary, Payload, content='AuditEvents', content_rowid='Sequence', tokenize='unicode61 remove_diacritics 2');");
            migrationBuilder.Sql("CREATE TRIGGER AuditEvents_AfterInsert AFTER INSERT ON AuditEvents BEGIN INSERT INTO AuditSearch(rowid, Summary, Payload) VALUES (new.Sequence, new.Summary, new.Payload); END;");
            migrationBuilder.Sql("CREATE TRIGGER AuditEvents_AfterDelete AFTER DELETE ON AuditEvents BEGIN INSERT INTO AuditSearch(AuditSearch, rowid, Summary, Payload) VALUES ('delete', old.Sequence, old.Summary, old.Payload); END;");
            migrationBuilder.Sql("CREATE TRIGGER AuditEvents_AfterUpdate AFTER UPDATE ON AuditEvents BEGIN INSERT INTO AuditSearch(AuditSearch, rowid, Summary, Payload) VALUES ('delete', old.Sequence, old.Summary, old.Payload); INSERT INTO AuditSearch(rowid, Summary, Payload) VALUES (new.Sequence, new.Summary, new.Payload); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEvents_AfterUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEvents_AfterDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS AuditEvents_AfterInsert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS AuditSearch;");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "AuditOutbox");
        }
    }
}
