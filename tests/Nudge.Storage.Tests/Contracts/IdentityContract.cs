using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class IdentityContract(IDatabaseSource databases) : StoreContract(databases)
{
    [Fact]
    public async Task Events_with_the_same_anonymous_id_share_one_profile()
    {
        var log = await StartLogAsync();

        var first = await AppendAsync(log, Some.Track(anonymousId: "anon-1"));
        var second = await AppendAsync(log, Some.Track(anonymousId: "anon-1"));
        var stranger = await AppendAsync(log, Some.Track(anonymousId: "anon-2"));

        Assert.Equal(first.ProfileId, second.ProfileId);
        Assert.NotEqual(first.ProfileId, stranger.ProfileId);
    }

    [Fact]
    public async Task Identify_after_anonymous_tracking_keeps_one_profile_linked_to_the_user_id()
    {
        var log = await StartLogAsync();
        var browsing = await AppendAsync(log, Some.Track(anonymousId: "anon-1"));

        var identified = await AppendAsync(log, Some.Identify(userId: "ada", anonymousId: "anon-1", email: "ada@example.com"));
        var later = await AppendAsync(log, Some.Track(userId: "ada", key: KeyKind.Server));

        Assert.Equal(browsing.ProfileId, identified.ProfileId);
        Assert.Equal(browsing.ProfileId, later.ProfileId);
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM profile_merges"));
    }

    [Fact]
    public async Task Identify_linking_an_anonymous_profile_to_a_known_user_merges_it_into_the_user()
    {
        var log = await StartLogAsync();
        var known = await AppendAsync(log, Some.Identify(userId: "ada", email: "ada@example.com"));
        var anonymous = await AppendAsync(log, Some.Track(anonymousId: "anon-phone"));
        Assert.NotEqual(known.ProfileId, anonymous.ProfileId);

        var merging = await AppendAsync(log, Some.Identify(userId: "ada", anonymousId: "anon-phone"));
        var afterwards = await AppendAsync(log, Some.Track(anonymousId: "anon-phone"));

        Assert.Equal(known.ProfileId, merging.ProfileId);
        Assert.Equal(known.ProfileId, afterwards.ProfileId);
        var merge = Assert.Single(await Database.RowsAsync("SELECT absorbed_id, survivor_id, workspace_id, seq FROM profile_merges"));
        Assert.Equal([anonymous.ProfileId, known.ProfileId, Some.Workspace, merging.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)], merge);
        var logged = (await Reader.ReadTimelineAsync(Some.Workspace, known.ProfileId, null, 100, Ct)).Single(e => e.Sequence == merging.Sequence);
        Assert.Equal([anonymous.ProfileId], logged.Identity.Absorbed);
    }

    [Fact]
    public async Task An_alias_merges_the_profile_of_the_previous_id_into_the_user()
    {
        var log = await StartLogAsync();
        var known = await AppendAsync(log, Some.Identify(userId: "ada"));
        var anonymous = await AppendAsync(log, Some.Track(anonymousId: "anon-tablet"));

        var alias = await AppendAsync(log, Some.Alias(userId: "ada", previousId: "anon-tablet"));

        Assert.Equal(known.ProfileId, alias.ProfileId);
        Assert.Equal(
            [anonymous.ProfileId, known.ProfileId],
            Assert.Single(await Database.RowsAsync("SELECT absorbed_id, survivor_id FROM profile_merges")));
    }

    [Fact]
    public async Task The_timeline_of_a_survivor_holds_the_events_of_both_profiles_newest_first()
    {
        var log = await StartLogAsync();
        var (known, anonymous, merging) = await MergeAnonymousIntoKnownAsync(log);

        var timeline = await Reader.ReadTimelineAsync(Some.Workspace, known.ProfileId, null, 100, Ct);

        Assert.Equal(
            [merging.Sequence, anonymous[1].Sequence, anonymous[0].Sequence, known.Sequence],
            timeline.Select(e => e.Sequence));
        Assert.Equal(
            new HashSet<string> { known.ProfileId, anonymous[0].ProfileId },
            timeline.Select(e => e.ProfileId).ToHashSet());
    }

    [Fact]
    public async Task The_timeline_pages_backwards_from_before_sequence()
    {
        var log = await StartLogAsync();
        var (known, anonymous, merging) = await MergeAnonymousIntoKnownAsync(log);

        var first = await Reader.ReadTimelineAsync(Some.Workspace, known.ProfileId, null, 2, Ct);
        var second = await Reader.ReadTimelineAsync(Some.Workspace, known.ProfileId, first[^1].Sequence, 2, Ct);
        var end = await Reader.ReadTimelineAsync(Some.Workspace, known.ProfileId, second[^1].Sequence, 2, Ct);

        Assert.Equal([merging.Sequence, anonymous[1].Sequence], first.Select(e => e.Sequence));
        Assert.Equal([anonymous[0].Sequence, known.Sequence], second.Select(e => e.Sequence));
        Assert.Empty(end);
    }

    [Fact]
    public async Task A_browser_key_cannot_attach_to_a_profile_a_server_key_established()
    {
        var log = await StartLogAsync();
        var verified = await AppendAsync(log, Some.Identify(userId: "ada", email: "ada@example.com", key: KeyKind.Server));

        var impostor = await AppendAsync(log, Some.Identify(userId: "ada", anonymousId: "anon-attacker", key: KeyKind.Browser));

        Assert.NotEqual(verified.ProfileId, impostor.ProfileId);
        var logged = Assert.Single(await Reader.ReadTimelineAsync(Some.Workspace, impostor.ProfileId, null, 10, Ct));
        var refused = Assert.Single(logged.Identity.Refused);
        Assert.Equal(new IdentityKey(IdentityKind.UserId, "ada"), refused.Key);
        Assert.Single(await Reader.ReadTimelineAsync(Some.Workspace, verified.ProfileId, null, 10, Ct));
    }

    [Fact]
    public async Task Known_ids_resolve_to_their_profile_after_the_log_restarts()
    {
        var before = await StartLogAsync();
        var known = await AppendAsync(before, Some.Identify(userId: "ada", anonymousId: "anon-1", email: "ada@example.com"));
        await before.DisposeAsync();

        var after = await StartLogAsync();
        var byAnonymousId = await AppendAsync(after, Some.Track(anonymousId: "anon-1"));
        var byUserId = await AppendAsync(after, Some.Track(userId: "ada", key: KeyKind.Server));

        Assert.Equal((known.ProfileId, known.ProfileId), (byAnonymousId.ProfileId, byUserId.ProfileId));
    }

    [Fact]
    public async Task Ids_of_one_workspace_do_not_resolve_in_another()
    {
        var log = await StartLogAsync();

        var here = await AppendAsync(log, Some.Identify(userId: "ada"));
        var there = await AppendAsync(log, Some.Identify(userId: "ada", workspace: Some.OtherWorkspace));

        Assert.NotEqual(here.ProfileId, there.ProfileId);
    }

    /// <summary>A known user, then two anonymous events on another device, then the identify that joins them.</summary>
    private static async Task<(AppendOutcome Known, AppendOutcome[] Anonymous, AppendOutcome Merging)> MergeAnonymousIntoKnownAsync(EventLog log)
    {
        var known = await AppendAsync(log, Some.Identify(userId: "ada", email: "ada@example.com"));
        var anonymous = new[]
        {
            await AppendAsync(log, Some.Track(anonymousId: "anon-phone", name: "Product Viewed")),
            await AppendAsync(log, Some.Track(anonymousId: "anon-phone", name: "Product Added")),
        };
        var merging = await AppendAsync(log, Some.Identify(userId: "ada", anonymousId: "anon-phone"));
        return (known, anonymous, merging);
    }
}

public sealed class SqliteIdentityContract() : IdentityContract(new SqliteDatabases());

public sealed class PostgresIdentityContract(PostgresDatabases postgres) : IdentityContract(postgres);
