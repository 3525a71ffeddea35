using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Nudge.Storage;

/// <summary>
/// Copies SQLite's write-ahead log into the database file in the background. Left to SQLite, the commit
/// that crosses the threshold does it, and the tracking requests waiting for that commit wait for the
/// checkpoint's writes and fsyncs too.
/// </summary>
public sealed partial class WalCheckpoints(Database database, TimeProvider time, ILogger<WalCheckpoints> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsSqlite)
            return;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                await using var connection = await database.OpenAsync(stoppingToken);
                // PASSIVE: copies what it can without waiting for, or blocking, writers and readers.
                await connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE);", stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.Failed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "A background WAL checkpoint failed; the next one retries")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
