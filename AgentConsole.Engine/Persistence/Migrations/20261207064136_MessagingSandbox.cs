using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MessagingSandbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SandboxCalendarEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CallId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Uid = table.Column<string>(type: "TEXT", maxLength: 104, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    DurationMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    End = table.Column<long>(type: "INTEGER", nullable: false),
                    Attendees = table.Column<string>(type: "TEXT", maxLength: 5100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SandboxCalendarEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SandboxChatMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CallId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    PostedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SandboxChatMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SandboxOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CallId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Cc = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 334, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SandboxOutbox", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SandboxCalendarEvents_End",
                table: "SandboxCalendarEvents",
                column: "End");

            migrationBuilder.CreateIndex(
                name: "IX_SandboxCalendarEvents_IdempotencyKey",
                table: "SandboxCalendarEvents",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SandboxCalendarEvents_RunId",
                table: "SandboxCalendarEvents",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_SandboxCalendarEvents_Start",
                table: "SandboxCalendarEvents",
                column: "Start");

            migrationBuilder.CreateIndex(
                name: "IX_SandboxChatMessages_IdempotencyKey",
                table: "SandboxChatMessages",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SandboxChatMessages_PostedAt",
                table: "SandboxChatMessages",
                column: "PostedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SandboxChatMessages_RunId",
                table: "SandboxChatMessages",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_SandboxOutbox_IdempotencyKey",
                table: "SandboxOutbox",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SandboxOutbox_RunId",
                table: "SandboxOutbox",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_SandboxOutbox_SentAt",
                table: "SandboxOutbox",
                column: "SentAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SandboxCalendarEvents");

            migrationBuilder.DropTable(
                name: "SandboxChatMessages");

            migrationBuilder.DropTable(
                name: "SandboxOutbox");
        }
    }
}
