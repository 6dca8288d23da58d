using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ToolRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ToolGrants",
                table: "Agents",
                type: "TEXT",
                nullable: true);

            // Grants gain a scope: the one read-only demo tool keeps read, every other grant keeps what it had (write).
            migrationBuilder.Sql("""
                UPDATE Agents SET ToolGrants = (
                    SELECT json_group_array(json_object('Tool', value, 'Scope', CASE WHEN value = 'crm_lookup' THEN 'Read' ELSE 'Write' END))
                    FROM json_each(Agents.Tools));
                """);

            migrationBuilder.DropColumn(
                name: "Tools",
                table: "Agents");

            migrationBuilder.CreateTable(
                name: "ToolConnections",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Connector = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SettingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedSecrets = table.Column<string>(type: "TEXT", nullable: true),
                    SimulatedFailure = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ToolConnections", x => x.Key);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ToolConnections");

            migrationBuilder.DropColumn(
                name: "ToolGrants",
                table: "Agents");

            migrationBuilder.AddColumn<string>(
                name: "Tools",
                table: "Agents",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }
    }
}
