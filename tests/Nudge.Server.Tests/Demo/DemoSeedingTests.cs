using System.Net;
using Microsoft.Data.Sqlite;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Demo;

public sealed class DemoSeedingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_demo_shop_is_seeded_once_and_a_restart_adds_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("nudge-demo-").FullName;
        try
        {
            long firstCount;
            await using (var first = DemoNudge(folder))
            {
                var profile = await first.WaitForProfileAsync("example.com", p => (int)p["computed"]!["orderCount"]! > 0);
                Assert.StartsWith("cust-", (string?)profile["identities"]!.AsArray().First(i => (string?)i!["kind"] == "userId")!["value"], StringComparison.Ordinal);
                firstCount = await WaitForSeededEventCountAsync(folder);
            }

            await using (var second = DemoNudge(folder))
            {
                using var admin = second.Admin();
                Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health/ready", Ct)).StatusCode);
                Assert.Equal(firstCount, await WaitForSeededEventCountAsync(folder));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static NudgeApi DemoNudge(string folder)
    {
        var nudge = NudgeApi.OnFolder(folder);
        nudge.Settings["Nudge:Demo"] = "true";
        nudge.Settings["Nudge:DemoCustomers"] = "40";
        _ = nudge.Server; // start it
        return nudge;
    }

    /// <summary>Waits until the demo workspace is marked seeded, then counts its events.</summary>
    private static async Task<long> WaitForSeededEventCountAsync(string folder)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "nudge.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        var (seeded, events) = await Eventually.ReadUntilAsync(ct => ReadDemoStateAsync(connection, ct), s => s.Seeded, Ct, TimeSpan.FromSeconds(30));
        Assert.True(seeded, "The demo workspace was not marked as seeded");
        return events;
    }

    private static async Task<(bool Seeded, long Events)> ReadDemoStateAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT (SELECT demo_seeded_at IS NOT NULL FROM workspaces WHERE id = 'demo'), (SELECT COUNT(*) FROM events WHERE workspace_id = 'demo')";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (!reader.IsDBNull(0) && reader.GetInt64(0) == 1, reader.GetInt64(1));
    }
}
