using System.Globalization;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class ErasureContract(IDatabaseSource databases) : StoreContract(databases)
{
    [Fact]
    public async Task Erasing_a_profile_deletes_its_events_and_those_of_profiles_merged_into_it()
    {
        var log = await StartLogAsync();
        var (known, anonymous) = await KnownUserWithMergedBrowsingAsync(log);
        var bystander = await AppendAsync(log, Some.Track(userId: "bob", key: KeyKind.Server));

        var erased = await log.EraseProfileAsync(Some.Workspace, known.ProfileId, Ct);

        Assert.Equal(new HashSet<string> { known.ProfileId, anonymous.ProfileId }, erased.ProfileIds.ToHashSet());
        Assert.Equal(4, erased.EventsDeleted);
        Assert.Empty(await Reader.ReadTimelineAsync(Some.Workspace, known.ProfileId, null, 100, Ct));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM events WHERE profile_id IN (@p0, @p1)", known.ProfileId, anonymous.ProfileId));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM identities WHERE profile_id IN (@p0, @p1)", known.ProfileId, anonymous.ProfileId));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM profile_merges"));
        Assert.Equal([bystander.Sequence], (await Reader.ReadTimelineAsync(Some.Workspace, bystander.ProfileId, null, 100, Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task An_event_after_erasure_with_the_same_ids_starts_a_new_profile()
    {
        var log = await StartLogAsync();
        var (known, anonymous) = await KnownUserWithMergedBrowsingAsync(log);
        await log.EraseProfileAsync(Some.Workspace, known.ProfileId, Ct);

        var byUserId = await AppendAsync(log, Some.Identify(userId: "ada"));
        var byAnonymousId = await AppendAsync(log, Some.Track(anonymousId: "anon-phone"));

        Assert.False(byUserId.Duplicate);
        Assert.DoesNotContain(byUserId.ProfileId, new[] { known.ProfileId, anonymous.ProfileId });
        Assert.DoesNotContain(byAnonymousId.ProfileId, new[] { known.ProfileId, anonymous.ProfileId });
        Assert.Equal([byUserId.Sequence], (await Reader.ReadTimelineAsync(Some.Workspace, byUserId.ProfileId, null, 100, Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task An_erasure_is_recorded_with_the_number_of_events_deleted()
    {
        var log = await StartLogAsync();
        var (known, _) = await KnownUserWithMergedBrowsingAsync(log);
        Time.Advance(TimeSpan.FromHours(2));

        await log.EraseProfileAsync(Some.Workspace, known.ProfileId, Ct);

        var record = Assert.Single(await Database.RowsAsync("SELECT workspace_id, profile_id, erased_at, events_deleted FROM erasures"));
        Assert.Equal(
            [Some.Workspace, known.ProfileId, Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "4"],
            record);
    }

    [Fact]
    public async Task Sequence_numbers_a_reader_has_passed_are_not_reused_after_erasure_and_restart()
    {
        var before = await StartLogAsync();
        await AppendAsync(before, Some.Track(userId: "bob", key: KeyKind.Server));
        var erasedLast = await AppendAsync(before, Some.Identify(userId: "ada"));
        await new CursorStore(Database, DerivedState).SetAsync(Partitioning.Of(erasedLast.ProfileId), erasedLast.Sequence, Ct);
        await before.EraseProfileAsync(Some.Workspace, erasedLast.ProfileId, Ct);
        await before.DisposeAsync();

        var after = await StartLogAsync();
        var next = await AppendAsync(after, Some.Track(userId: "carol", key: KeyKind.Server));

        Assert.True(next.Sequence > erasedLast.Sequence, $"{next.Sequence} after {erasedLast.Sequence}");
        Assert.Equal([next.Sequence], (await Reader.ReadPartitionAsync(Partitioning.Of(next.ProfileId), erasedLast.Sequence, 10, Ct)).Select(e => e.Sequence));
    }

    /// <summary>Ada identified by the shop, her phone's browsing (two events) merged into her by a later identify.</summary>
    private static async Task<(AppendOutcome Known, AppendOutcome Anonymous)> KnownUserWithMergedBrowsingAsync(EventLog log)
    {
        var known = await AppendAsync(log, Some.Identify(userId: "ada", email: "ada@example.com"));
        var anonymous = await AppendAsync(log, Some.Track(anonymousId: "anon-phone"));
        await AppendAsync(log, Some.Track(anonymousId: "anon-phone"));
        var merging = await AppendAsync(log, Some.Identify(userId: "ada", anonymousId: "anon-phone"));
        Assert.Equal(known.ProfileId, merging.ProfileId);
        return (known, anonymous);
    }
}

public sealed class SqliteErasureContract() : ErasureContract(new SqliteDatabases());

public sealed class PostgresErasureContract(PostgresDatabases postgres) : ErasureContract(postgres);
