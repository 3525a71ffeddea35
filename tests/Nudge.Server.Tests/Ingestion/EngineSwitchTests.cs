using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Ingestion;

public sealed class EngineSwitchTests
{
    [Fact]
    public async Task Events_logged_while_processing_is_off_reach_the_profile_once_it_is_on()
    {
        var folder = Directory.CreateTempSubdirectory("nudge-engine-").FullName;
        var user = Some.Id("user");
        try
        {
            await using (var logging = NudgeApi.OnFolder(folder))
            {
                logging.Settings["Nudge:Engine:ProcessEvents"] = "false";
                await logging.SendBatchAsync(NudgeApi.ServerKey,
                    Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }),
                    Some.OrderCompleted(user, "o-1", 15m));
            }

            Assert.Equal(0, await CountAsync(folder, "SELECT COUNT(*) FROM profiles"));

            await using var processing = NudgeApi.OnFolder(folder);
            var profile = await processing.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 2);

            Assert.Equal(15m, (decimal)profile["computed"]!["totalRevenue"]!);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<long> CountAsync(string folder, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "nudge.db")};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }
}
