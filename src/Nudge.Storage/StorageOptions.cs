using System.ComponentModel.DataAnnotations;

namespace Nudge.Storage;

/// <summary>Settings under <c>Nudge:Storage</c>.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>ADO.NET connection string; for SQLite the default is a file under <c>./data</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/nudge.db";

    /// <summary>
    /// How long a message id is remembered for de-duplication. Trackers retry within minutes;
    /// Segment itself de-duplicates over about a day.
    /// </summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromDays(1);
}
