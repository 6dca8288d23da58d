using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuditSearchAutomerge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // FTS5 merges its index segments as it writes, and those merges were the largest part of inserting audit
            // events. 16, the maximum (default 4), merges later and in larger steps. Measured with the audit benchmark
            // at a million events: 31.8 instead of 37.4 µs of CPU per sealed event, search latencies unchanged.
            migrationBuilder.Sql("INSERT INTO AuditSearch(AuditSearch, rank) VALUES('automerge', 16);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("INSERT INTO AuditSearch(AuditSearch, rank) VALUES('automerge', 4);");
        }
    }
}
