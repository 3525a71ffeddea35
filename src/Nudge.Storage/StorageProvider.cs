namespace Nudge.Storage;

/// <summary>The database Nudge keeps its data in.</summary>
public enum StorageProvider
{
    /// <summary>Embedded SQLite file; the default for one machine.</summary>
    Sqlite,

    /// <summary>PostgreSQL; for production and clusters.</summary>
    Postgres,
}
