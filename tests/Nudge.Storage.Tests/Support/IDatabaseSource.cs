namespace Nudge.Storage.Tests.Support;

/// <summary>Hands out empty databases of one provider, so the same contract runs against each.</summary>
public interface IDatabaseSource
{
    /// <summary>A new, empty (not yet migrated) database that no other test uses.</summary>
    Task<Database> CreateAsync(CancellationToken ct);

    /// <summary>Called when the test that asked for databases is done with them.</summary>
    ValueTask ReleaseAsync();
}
