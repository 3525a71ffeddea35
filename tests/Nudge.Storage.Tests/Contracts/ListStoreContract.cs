using Nudge.Core.Identity;
using Nudge.Storage.Lists;
using Nudge.Storage.Outbox;
using Nudge.Storage.Profiles;
using Nudge.Storage.Segments;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class ListStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private static readonly ListDraft News = new("News", "Weekly news", false, ["https://shop.example/thanks"]);

    private ListStore Store => new(Database, Time);

    private ListMembers Members => new(Database);

    private ListSignupStore Signups => new(Database);

    [Fact]
    public async Task A_new_list_loads_back_with_everything_an_admin_set()
    {
        var created = await Store.CreateAsync(Some.Workspace, News with { DoubleOptIn = true }, Ct);

        var loaded = await Store.GetAsync(Some.Workspace, created.Id, Ct);

        Assert.NotNull(loaded);
        Assert.StartsWith("lst_", loaded.Id, StringComparison.Ordinal);
        Assert.Equal(("News", "Weekly news", true), (loaded.Name, loaded.Description, loaded.DoubleOptIn));
        Assert.Equal(["https://shop.example/thanks"], loaded.AllowedRedirects);
        Assert.Equal(Some.Start, loaded.CreatedAt);
    }

    [Fact]
    public async Task Editing_a_list_replaces_what_an_admin_set()
    {
        var created = await Store.CreateAsync(Some.Workspace, News, Ct);
        Time.Advance(TimeSpan.FromMinutes(5));

        var edited = await Store.UpdateAsync(Some.Workspace, created.Id, new ListDraft("VIP", null, true, []), Ct);

        Assert.Equal(("VIP", null, true, 0), (edited!.Name, edited.Description, edited.DoubleOptIn, edited.AllowedRedirects.Count));
        Assert.Equal(Some.Start.AddMinutes(5), edited.UpdatedAt);
    }

    [Fact]
    public async Task A_deleted_list_is_gone_for_admins_and_for_the_signup_form()
    {
        var created = await Store.CreateAsync(Some.Workspace, News, Ct);

        Assert.True(await Store.DeleteAsync(Some.Workspace, created.Id, Ct));

        Assert.Null(await Store.GetAsync(Some.Workspace, created.Id, Ct));
        Assert.Null(await Store.FindAsync(created.Id, Ct));
        Assert.Empty(await Store.ListAsync(Some.Workspace, Ct));
        Assert.False(await Store.DeleteAsync(Some.Workspace, created.Id, Ct));
    }

    [Fact]
    public async Task Lists_of_another_workspace_are_not_visible_to_admins()
    {
        var created = await Store.CreateAsync(Some.OtherWorkspace, News, Ct);

        Assert.Null(await Store.GetAsync(Some.Workspace, created.Id, Ct));
        Assert.Null(await Store.UpdateAsync(Some.Workspace, created.Id, News, Ct));
        Assert.Empty(await Store.ListAsync(Some.Workspace, Ct));
        Assert.NotNull(await Store.FindAsync(created.Id, Ct));
    }

    [Fact]
    public async Task A_join_saved_with_the_profile_makes_a_member()
    {
        var profile = Some.Profile(userId: "ada");

        await SaveAsync(profile.Id, joined: ["lst_news"]);

        Assert.Equal(1, await Members.CountAsync("lst_news", Ct));
        Assert.Equal(new ListStanding(profile.Id, true, 1), await Members.StandingAsync("lst_news", profile.Id, Ct));
    }

    [Fact]
    public async Task A_leave_ends_the_membership_and_counts_as_a_change()
    {
        var profile = Some.Profile(userId: "ada");
        await SaveAsync(profile.Id, joined: ["lst_news"]);

        await SaveAsync(profile.Id, left: ["lst_news"]);

        Assert.Equal(0, await Members.CountAsync("lst_news", Ct));
        Assert.Empty(await Members.PageAsync("lst_news", null, 10, Ct));
        Assert.Equal(new ListStanding(profile.Id, false, 2), await Members.StandingAsync("lst_news", profile.Id, Ct));
    }

    [Fact]
    public async Task Joining_again_after_leaving_is_a_third_change()
    {
        var profile = Some.Profile(userId: "ada");
        await SaveAsync(profile.Id, joined: ["lst_news"]);
        await SaveAsync(profile.Id, left: ["lst_news"]);

        await SaveAsync(profile.Id, joined: ["lst_news"]);

        Assert.Equal(new ListStanding(profile.Id, true, 3), await Members.StandingAsync("lst_news", profile.Id, Ct));
    }

    [Fact]
    public async Task Moving_the_join_time_of_a_member_is_not_a_change()
    {
        var profile = Some.Profile(userId: "ada");
        await SaveAsync(profile.Id, joined: ["lst_news"]);

        await SaveAsync(profile.Id, joined: ["lst_news"], joinedAt: Some.Start.AddDays(-3));

        Assert.Equal(new ListStanding(profile.Id, true, 1), await Members.StandingAsync("lst_news", profile.Id, Ct));
        Assert.Equal(Some.Start.AddDays(-3), (await Members.PageAsync("lst_news", null, 10, Ct))[0].JoinedAt);
    }

    [Fact]
    public async Task Members_page_in_profile_id_order_with_an_email_each()
    {
        var log = await StartLogAsync();
        var ada = await AppendAsync(log, Some.Identify(userId: "ada", email: "ada@example.com"));
        var bob = await AppendAsync(log, Some.Identify(userId: "bob", email: "bob@example.com"));
        var cy = await AppendAsync(log, Some.Identify(userId: "cy"));
        var ids = new[] { ada.ProfileId, bob.ProfileId, cy.ProfileId }.Order(StringComparer.Ordinal).ToArray();
        foreach (var id in ids)
            await SaveAsync(id, joined: ["lst_news"]);

        var first = await Members.PageAsync("lst_news", null, 2, Ct);
        var second = await Members.PageAsync("lst_news", first[^1].ProfileId, 2, Ct);

        Assert.Equal(ids, first.Concat(second).Select(m => m.ProfileId));
        var emails = first.Concat(second).ToDictionary(m => m.ProfileId, m => m.Email);
        Assert.Equal(("ada@example.com", "bob@example.com", null), (emails[ada.ProfileId], emails[bob.ProfileId], emails[cy.ProfileId]));
    }

    [Fact]
    public async Task Standings_are_found_by_the_ids_that_point_at_a_profile()
    {
        var log = await StartLogAsync();
        var ada = await AppendAsync(log, Some.Identify(userId: "ada", email: "ada@example.com"));
        var bob = await AppendAsync(log, Some.Identify(userId: "bob", email: "bob@example.com"));
        await SaveAsync(ada.ProfileId, joined: ["lst_news"]);

        var standings = await Members.StandingsAsync(Some.Workspace, "lst_news",
            [new IdentityKey(IdentityKind.Email, "ada@example.com"), new IdentityKey(IdentityKind.Email, "bob@example.com"),
             new IdentityKey(IdentityKind.Email, "new@example.com"), new IdentityKey(IdentityKind.UserId, "bob")], Ct);

        Assert.Equal(new ListStanding(ada.ProfileId, true, 1), standings[new IdentityKey(IdentityKind.Email, "ada@example.com")]);
        Assert.Equal(new ListStanding(bob.ProfileId, false, 0), standings[new IdentityKey(IdentityKind.Email, "bob@example.com")]);
        Assert.Equal(new ListStanding(bob.ProfileId, false, 0), standings[new IdentityKey(IdentityKind.UserId, "bob")]);
        Assert.False(standings.ContainsKey(new IdentityKey(IdentityKind.Email, "new@example.com")));
    }

    [Fact]
    public async Task An_erased_profile_loses_its_memberships_and_a_late_save_brings_none_back()
    {
        var profile = Some.Profile(userId: "ada");
        await SaveAsync(profile.Id, joined: ["lst_news"]);
        await new ProfileStore(Database, DerivedState).EraseAsync(Some.Workspace, [profile.Id], Ct);

        await Members.ForgetAsync([profile.Id], Ct);
        await SaveAsync(profile.Id, joined: ["lst_vip"]);

        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM list_members WHERE profile_id = @p0", profile.Id));
    }

    [Fact]
    public async Task A_signup_is_stored_with_its_confirmation_email()
    {
        var signup = Signup("sgn_1", "ada@example.com");

        await Signups.CreateAsync(signup, Confirmation(signup), Ct);

        Assert.Equal(signup, await Signups.GetAsync("sgn_1", Ct));
        var email = await new OutboxStore(Database).FindAsync(ListSignupStore.ConfirmationKey("sgn_1"), Ct);
        Assert.Equal(("ada@example.com", "pending", 0, (string?)null), (email!.Recipient, email.Status, email.Attempts, email.ProfileId));
    }

    [Fact]
    public async Task A_signup_is_confirmed_once()
    {
        var signup = Signup("sgn_1", "ada@example.com");
        await Signups.CreateAsync(signup, Confirmation(signup), Ct);

        var first = await Signups.ConfirmAsync("sgn_1", Some.Start.AddHours(1), Ct);
        var second = await Signups.ConfirmAsync("sgn_1", Some.Start.AddHours(2), Ct);

        Assert.Equal((true, false), (first, second));
        var confirmed = await Signups.GetAsync("sgn_1", Ct);
        Assert.Equal((ListSignupStatus.Confirmed, Some.Start.AddHours(1)), (confirmed!.Status, confirmed.ConfirmedAt));
    }

    [Fact]
    public async Task The_sweep_expires_pending_signups_whose_time_ran_out_and_no_others()
    {
        var due = Signup("sgn_due", "ada@example.com");
        var later = Signup("sgn_later", "bob@example.com") with { ExpiresAt = Some.Start.AddDays(5) };
        var confirmed = Signup("sgn_confirmed", "cy@example.com");
        foreach (var signup in new[] { due, later, confirmed })
            await Signups.CreateAsync(signup, Confirmation(signup), Ct);
        await Signups.ConfirmAsync("sgn_confirmed", Some.Start.AddHours(1), Ct);

        var expired = await Signups.ExpireDueAsync(Some.Start.AddDays(2), Ct);

        Assert.Equal(1, expired);
        Assert.Equal(ListSignupStatus.Expired, (await Signups.GetAsync("sgn_due", Ct))!.Status);
        Assert.Equal(ListSignupStatus.Pending, (await Signups.GetAsync("sgn_later", Ct))!.Status);
        Assert.Equal(ListSignupStatus.Confirmed, (await Signups.GetAsync("sgn_confirmed", Ct))!.Status);
        Assert.False(await Signups.ConfirmAsync("sgn_due", Some.Start.AddDays(3), Ct));
    }

    [Fact]
    public async Task A_recent_pending_signup_is_found_by_list_and_address()
    {
        var signup = Signup("sgn_1", "ada@example.com");
        await Signups.CreateAsync(signup, Confirmation(signup), Ct);

        Assert.Equal("sgn_1", (await Signups.RecentPendingAsync("lst_news", "ada@example.com", Some.Start.AddMinutes(-10), Ct))?.Id);
        Assert.Null(await Signups.RecentPendingAsync("lst_news", "ada@example.com", Some.Start.AddMinutes(1), Ct));
        Assert.Null(await Signups.RecentPendingAsync("lst_other", "ada@example.com", Some.Start.AddMinutes(-10), Ct));
    }

    [Fact]
    public async Task Forgetting_an_address_deletes_its_signups_and_their_emails()
    {
        var ada = Signup("sgn_ada", "ada@example.com");
        var bob = Signup("sgn_bob", "bob@example.com");
        await Signups.CreateAsync(ada, Confirmation(ada), Ct);
        await Signups.CreateAsync(bob, Confirmation(bob), Ct);

        await Signups.ForgetAsync(Some.Workspace, ["ada@example.com"], Ct);

        Assert.Null(await Signups.GetAsync("sgn_ada", Ct));
        Assert.Null(await new OutboxStore(Database).FindAsync(ListSignupStore.ConfirmationKey("sgn_ada"), Ct));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM message_events"));
        Assert.NotNull(await Signups.GetAsync("sgn_bob", Ct));
        Assert.NotNull(await new OutboxStore(Database).FindAsync(ListSignupStore.ConfirmationKey("sgn_bob"), Ct));
    }

    private async Task SaveAsync(string profileId, string[]? joined = null, string[]? left = null, DateTimeOffset? joinedAt = null)
    {
        var states = new SegmentStateStore(Database, DerivedState);
        var changes = new ListMembershipChanges(profileId, (joined ?? []).Select(id => (id, joinedAt ?? Some.Start)).ToList(), left ?? [], Some.Start.AddHours(1));
        await states.SaveAsync(Some.Profile(userId: profileId) with { Id = profileId }, null, changes, Ct);
    }

    private static ListSignup Signup(string id, string email) => new(
        id, Some.Workspace, "lst_news", email, ListSignupStatus.Pending, Some.Start, Some.Start.AddHours(48), null,
        "203.0.113.7", "Firefox", "Yes, send me the news.", "Ada", null);

    private static OutboxMessage Confirmation(ListSignup signup) => OutboxMessage.Email(
        signup.WorkspaceId, null, ListSignupStore.ConfirmationKey(signup.Id), signup.Email, "Please confirm", "<p>Confirm</p>", "Confirm", signup.RequestedAt);
}

public sealed class SqliteListStoreContract() : ListStoreContract(new SqliteDatabases());

public sealed class PostgresListStoreContract(PostgresDatabases postgres) : ListStoreContract(postgres);
