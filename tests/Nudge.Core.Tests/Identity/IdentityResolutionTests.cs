using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Identity;

public sealed class IdentityResolutionTests
{
    private readonly InMemoryIdentities _table = new();

    private static IdentityLink LinkOf(IdentityDecision decision, IdentityKey key) =>
        Assert.Single(decision.Links, l => l.Key == key);

    private static IEnumerable<IdentityKey> RefusedKeys(IdentityDecision decision) => decision.Refused.Select(r => r.Key);

    // ---- new and known ids --------------------------------------------------------------------------------

    [Fact]
    public void Ids_nobody_knows_create_a_new_profile()
    {
        var decision = _table.Resolve(KeyKind.Server, Some.UserId(), Some.AnonymousId());

        Assert.True(decision.IsNewProfile);
        Assert.Equal("prf_new_1", decision.ProfileId);
        Assert.Empty(decision.Absorbed);
    }

    [Fact]
    public void A_new_profile_gets_links_for_all_its_ids() =>
        Assert.Equal(
            [Some.UserId(), Some.Email(), Some.AnonymousId()],
            _table.Resolve(KeyKind.Server, Some.AnonymousId(), Some.Email(), Some.UserId()).Links.Select(l => l.Key));

    [Fact]
    public void Links_made_with_a_server_key_are_verified() =>
        Assert.True(LinkOf(_table.Resolve(KeyKind.Server, Some.UserId()), Some.UserId()).Verified);

    [Fact]
    public void Links_made_with_a_browser_key_are_not_verified() =>
        Assert.False(LinkOf(_table.Resolve(KeyKind.Browser, Some.UserId()), Some.UserId()).Verified);

    [Fact]
    public void A_known_id_reuses_its_profile()
    {
        _table.Link("prf_a", verified: false, Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Browser, Some.AnonymousId());

        Assert.Equal("prf_a", decision.ProfileId);
        Assert.False(decision.IsNewProfile);
    }

    [Fact]
    public void A_known_id_is_not_linked_again()
    {
        _table.Link("prf_a", verified: false, Some.AnonymousId());

        Assert.Empty(_table.Resolve(KeyKind.Browser, Some.AnonymousId()).Links);
    }

    [Fact]
    public void A_new_id_next_to_a_known_one_is_linked_to_the_known_profile()
    {
        _table.Link("prf_a", verified: false, Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Browser, Some.AnonymousId(), Some.Email());

        Assert.Equal("prf_a", LinkOf(decision, Some.Email()).ProfileId);
    }

    [Fact]
    public void A_server_key_naming_an_id_a_browser_linked_verifies_that_link()
    {
        _table.Link("prf_a", verified: false, Some.AnonymousId());

        var link = LinkOf(_table.Resolve(KeyKind.Server, Some.AnonymousId()), Some.AnonymousId());

        Assert.Equal(("prf_a", true), (link.ProfileId, link.Verified));
    }

    // ---- merges ----------------------------------------------------------------------------------------------

    [Fact]
    public void Identify_with_a_server_key_merges_the_anonymous_profile_into_the_known_user()
    {
        _table.Link("prf_user", verified: true, Some.UserId());
        _table.Link("prf_anon", verified: false, Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Server, Some.UserId(), Some.AnonymousId());

        Assert.Equal("prf_user", decision.ProfileId);
        Assert.Equal(["prf_anon"], decision.Absorbed);
    }

    [Fact]
    public void After_a_merge_the_anonymous_id_points_at_the_survivor()
    {
        _table.Link("prf_user", verified: true, Some.UserId());
        _table.Link("prf_anon", verified: false, Some.AnonymousId());

        var link = LinkOf(_table.Resolve(KeyKind.Server, Some.UserId(), Some.AnonymousId()), Some.AnonymousId());

        Assert.Equal(("prf_user", true), (link.ProfileId, link.Verified));
    }

    [Fact]
    public void Identify_of_an_anonymous_profile_with_a_new_user_id_keeps_the_profile_and_adds_the_user_id()
    {
        _table.Link("prf_anon", verified: false, Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Server, Some.UserId(), Some.AnonymousId());

        Assert.Equal("prf_anon", decision.ProfileId);
        Assert.Equal("prf_anon", LinkOf(decision, Some.UserId()).ProfileId);
        Assert.Empty(decision.Absorbed);
    }

    [Fact]
    public void Alias_merges_the_previous_id_profile_into_the_user()
    {
        _table.Link("prf_user", verified: true, Some.UserId());
        _table.Link("prf_old", verified: false, Some.AnonymousId("previous_1"));
        var claims = IdentityClaims.Of(Some.Incoming(Some.Call("alias").Also(b => b["previousId"] = "previous_1")), null);

        var decision = _table.Resolve(KeyKind.Server, [.. claims]);

        Assert.Equal("prf_user", decision.ProfileId);
        Assert.Equal(["prf_old"], decision.Absorbed);
    }

    [Fact]
    public void A_browser_key_may_merge_two_unverified_profiles()
    {
        _table.Link("prf_email", verified: false, Some.Email());
        _table.Link("prf_anon", verified: false, Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Browser, Some.AnonymousId(), Some.Email());

        Assert.Equal("prf_email", decision.ProfileId);
        Assert.Equal(["prf_anon"], decision.Absorbed);
    }

    [Theory]
    [InlineData(IdentityKind.UserId)]
    [InlineData(IdentityKind.Email)]
    [InlineData(IdentityKind.Phone)]
    public void The_strongest_id_decides_which_profile_survives(IdentityKind strongest)
    {
        var ids = new[] { Some.UserId(), Some.Email(), Some.Phone(), Some.AnonymousId() }.Where(k => k.Kind >= strongest).ToArray();
        foreach (var id in ids)
            _table.Link("prf_by_" + id.Kind, verified: false, id);

        var decision = _table.Resolve(KeyKind.Server, [.. ids.Reverse()]);

        Assert.Equal("prf_by_" + strongest, decision.ProfileId);
        Assert.Equal(ids.Skip(1).Select(k => "prf_by_" + k.Kind), decision.Absorbed);
    }

    [Fact]
    public void A_merged_profile_that_brings_a_user_id_keeps_a_weaker_profile_of_another_user_id_out()
    {
        _table.Link("prf_email", verified: false, Some.Email());
        _table.Link("prf_user_1", verified: false, Some.UserId("user_1"), Some.Phone());
        _table.Link("prf_user_2", verified: false, Some.UserId("user_2"), Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Server, Some.Email(), Some.Phone(), Some.AnonymousId());

        // The phone is stronger than the anonymous id, so user_1 joins and user_2 stays apart.
        Assert.Equal("prf_email", decision.ProfileId);
        Assert.Equal(["prf_user_1"], decision.Absorbed);
    }

    // ---- browser keys and verified profiles ------------------------------------------------------------------

    [Fact]
    public void A_browser_key_cannot_attach_to_a_verified_profile_by_its_user_id()
    {
        _table.Link("prf_user", verified: true, Some.UserId());

        var decision = _table.Resolve(KeyKind.Browser, Some.UserId(), Some.AnonymousId("anon_attacker"));

        Assert.True(decision.IsNewProfile);
        Assert.Equal([Some.UserId()], RefusedKeys(decision));
        Assert.Equal([Some.AnonymousId("anon_attacker")], decision.Links.Select(l => l.Key));
    }

    [Fact]
    public void A_browser_key_cannot_attach_to_a_verified_profile_by_its_email()
    {
        _table.Link("prf_user", verified: true, Some.UserId(), Some.Email());

        var decision = _table.Resolve(KeyKind.Browser, Some.Email(), Some.AnonymousId("anon_attacker"));

        Assert.NotEqual("prf_user", decision.ProfileId);
        Assert.Equal([Some.Email()], RefusedKeys(decision));
    }

    [Fact]
    public void A_browser_key_cannot_attach_by_an_unverified_email_of_a_verified_profile()
    {
        _table.Link("prf_user", verified: true, Some.UserId());
        _table.Link("prf_user", verified: false, Some.Email());

        var decision = _table.Resolve(KeyKind.Browser, Some.Email());

        Assert.True(decision.IsNewProfile);
        Assert.Equal([Some.Email()], RefusedKeys(decision));
    }

    [Fact]
    public void A_browser_key_may_attach_through_an_anonymous_id_a_server_key_linked()
    {
        _table.Link("prf_user", verified: true, Some.UserId(), Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Browser, Some.AnonymousId());

        Assert.Equal("prf_user", decision.ProfileId);
        Assert.Empty(decision.Refused);
    }

    [Fact]
    public void A_browser_event_of_a_logged_in_customer_lands_on_their_profile_without_refusals()
    {
        _table.Link("prf_user", verified: true, Some.UserId(), Some.Email(), Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Browser, Some.UserId(), Some.Email(), Some.AnonymousId());

        Assert.Equal("prf_user", decision.ProfileId);
        Assert.Empty(decision.Refused);
        Assert.Empty(decision.Links);
    }

    [Fact]
    public void A_browser_key_cannot_add_ids_to_a_verified_profile()
    {
        _table.Link("prf_user", verified: true, Some.UserId(), Some.AnonymousId());

        var decision = _table.Resolve(KeyKind.Browser, Some.AnonymousId(), Some.Email("attacker@example.com"), Some.Phone());

        Assert.Equal("prf_user", decision.ProfileId);
        Assert.Empty(decision.Links);
        Assert.Equal([Some.Email("attacker@example.com"), Some.Phone()], RefusedKeys(decision));
    }

    [Fact]
    public void A_browser_key_cannot_merge_an_unverified_profile_into_a_verified_one()
    {
        _table.Link("prf_user", verified: true, Some.UserId(), Some.AnonymousId());
        _table.Link("prf_other", verified: false, Some.AnonymousId("anon_2"));

        var decision = _table.Resolve(KeyKind.Browser, Some.AnonymousId(), Some.AnonymousId("anon_2"));

        Assert.Equal("prf_user", decision.ProfileId);
        Assert.Empty(decision.Absorbed);
        Assert.Equal([Some.AnonymousId("anon_2")], RefusedKeys(decision));
    }

    [Fact]
    public void A_browser_key_cannot_merge_a_verified_profile_into_another()
    {
        _table.Link("prf_user", verified: true, Some.UserId(), Some.AnonymousId());
        _table.Link("prf_email", verified: false, Some.Email("attacker@example.com"));

        var decision = _table.Resolve(KeyKind.Browser, Some.Email("attacker@example.com"), Some.AnonymousId());

        Assert.Equal("prf_email", decision.ProfileId);
        Assert.Empty(decision.Absorbed);
        Assert.Equal([Some.AnonymousId()], RefusedKeys(decision));
    }

    [Fact]
    public void A_browser_key_that_was_refused_keeps_landing_on_its_own_profile()
    {
        _table.Write(KeyKind.Server, Some.UserId(), Some.Email());
        var first = _table.Write(KeyKind.Browser, Some.AnonymousId("anon_attacker"), Some.Email());

        var second = _table.Write(KeyKind.Browser, Some.AnonymousId("anon_attacker"), Some.Email());

        Assert.Equal(first.ProfileId, second.ProfileId);
        Assert.Equal([Some.Email()], RefusedKeys(second));
    }

    [Fact]
    public void Browsing_then_signing_in_then_browsing_again_stays_on_one_profile()
    {
        var customer = _table.Write(KeyKind.Server, Some.UserId(), Some.Email()).ProfileId;
        var browsing = _table.Write(KeyKind.Browser, Some.AnonymousId()).ProfileId;

        var signIn = _table.Write(KeyKind.Server, Some.UserId(), Some.AnonymousId());
        var afterwards = _table.Write(KeyKind.Browser, Some.AnonymousId(), Some.UserId());

        Assert.Equal(customer, signIn.ProfileId);
        Assert.Equal([browsing], signIn.Absorbed);
        Assert.Equal(customer, afterwards.ProfileId);
        Assert.Empty(afterwards.Refused);
    }

    // ---- different user ids stay apart -------------------------------------------------------------------------

    [Fact]
    public void Two_profiles_with_different_user_ids_are_never_merged()
    {
        _table.Link("prf_1", verified: true, Some.UserId("user_1"), Some.AnonymousId("shared_device"));
        _table.Link("prf_2", verified: true, Some.UserId("user_2"));

        var decision = _table.Resolve(KeyKind.Server, Some.UserId("user_2"), Some.AnonymousId("shared_device"));

        Assert.Equal("prf_2", decision.ProfileId);
        Assert.Empty(decision.Absorbed);
    }

    [Fact]
    public void On_a_shared_device_the_anonymous_id_moves_to_the_user_who_signed_in()
    {
        _table.Link("prf_1", verified: true, Some.UserId("user_1"), Some.AnonymousId("shared_device"));
        _table.Link("prf_2", verified: true, Some.UserId("user_2"));

        var decision = _table.Resolve(KeyKind.Server, Some.UserId("user_2"), Some.AnonymousId("shared_device"));

        Assert.Equal("prf_2", LinkOf(decision, Some.AnonymousId("shared_device")).ProfileId);
    }

    [Fact]
    public void On_a_shared_device_a_first_sign_in_gets_its_own_profile()
    {
        _table.Link("prf_1", verified: true, Some.UserId("user_1"), Some.AnonymousId("shared_device"));

        var decision = _table.Resolve(KeyKind.Server, Some.UserId("user_2"), Some.AnonymousId("shared_device"));

        Assert.True(decision.IsNewProfile);
        Assert.Empty(decision.Absorbed);
        Assert.Empty(decision.Refused);
        Assert.All(decision.Links, l => Assert.Equal(decision.ProfileId, l.ProfileId));
        Assert.Equal([Some.UserId("user_2"), Some.AnonymousId("shared_device")], decision.Links.Select(l => l.Key));
    }

    [Fact]
    public void On_a_shared_device_a_first_sign_in_from_the_browser_gets_its_own_profile()
    {
        _table.Link("prf_1", verified: false, Some.UserId("user_1"), Some.AnonymousId("shared_device"));

        var decision = _table.Resolve(KeyKind.Browser, Some.UserId("user_2"), Some.AnonymousId("shared_device"));

        Assert.True(decision.IsNewProfile);
        Assert.Equal(decision.ProfileId, LinkOf(decision, Some.UserId("user_2")).ProfileId);
    }

    [Fact]
    public void A_browser_key_cannot_move_an_anonymous_id_away_from_a_verified_profile()
    {
        _table.Link("prf_1", verified: true, Some.UserId("user_1"), Some.AnonymousId("shared_device"));

        var decision = _table.Resolve(KeyKind.Browser, Some.UserId("user_2"), Some.AnonymousId("shared_device"));

        Assert.NotEqual("prf_1", decision.ProfileId);
        Assert.Equal([Some.AnonymousId("shared_device")], RefusedKeys(decision));
    }

    [Fact]
    public void An_email_of_another_user_is_refused_rather_than_merged()
    {
        _table.Link("prf_1", verified: true, Some.UserId("user_1"));
        _table.Link("prf_2", verified: true, Some.UserId("user_2"), Some.Email());

        var decision = _table.Resolve(KeyKind.Server, Some.UserId("user_1"), Some.Email());

        Assert.Equal("prf_1", decision.ProfileId);
        Assert.Empty(decision.Absorbed);
        Assert.Equal([Some.Email()], RefusedKeys(decision));
    }

    [Fact]
    public void A_profile_keeps_its_user_id_when_an_event_names_another()
    {
        _table.Link("prf_1", verified: true, Some.UserId("user_1"), Some.Email());

        var decision = _table.Resolve(KeyKind.Server, Some.UserId("user_2"), Some.Email());

        Assert.DoesNotContain(decision.Links, l => l.ProfileId == "prf_1" && l.Key == Some.UserId("user_2"));
        Assert.Contains(Some.Email(), RefusedKeys(decision));
    }
}
