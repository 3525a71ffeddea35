using System.Text.Json.Nodes;
using Nudge.Core.Ingestion;
using Nudge.Core.Lists;
using Nudge.Core.Profiles;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Lists;

public sealed class ListMembershipProjectionTests
{
    private static LoggedEventBuilder Joined(string listId = "lst_news") =>
        Some.Track(ListEvents.Joined, new JsonObject { ["list_id"] = listId, ["list_name"] = "News", ["source"] = "admin" });

    private static LoggedEventBuilder Left(string listId = "lst_news") =>
        Some.Track(ListEvents.Left, new JsonObject { ["list_id"] = listId });

    [Fact]
    public void List_Joined_from_a_server_key_puts_the_person_on_the_list_since_the_event_time()
    {
        var profile = Some.Profile().After(Joined().At(Some.Start.AddHours(2)));

        Assert.Equal(Some.Start.AddHours(2), profile.Lists["lst_news"]);
    }

    [Fact]
    public void List_Left_takes_the_person_off_the_list()
    {
        var profile = Some.Profile().After(Joined(), Left());

        Assert.Empty(profile.Lists);
    }

    [Fact]
    public void Events_nudge_writes_itself_change_lists_too()
    {
        var profile = Some.Profile().After(Joined().SentWith(KeyKind.Internal), Joined("lst_vip").SentWith(KeyKind.Internal), Left().SentWith(KeyKind.Internal));

        Assert.Equal(["lst_vip"], profile.Lists.Keys);
    }

    [Fact]
    public void A_browser_key_can_neither_join_nor_leave_a_list()
    {
        var joinedByBrowser = Some.Profile().After(Joined().FromBrowser());
        var leftByBrowser = Some.Profile().After(Joined(), Left().FromBrowser());

        Assert.Empty(joinedByBrowser.Lists);
        Assert.Equal(["lst_news"], leftByBrowser.Lists.Keys);
    }

    [Fact]
    public void Joining_again_keeps_the_first_join_time()
    {
        var profile = Some.Profile().After(Joined().At(Some.Start), Joined().At(Some.Start.AddDays(3)));

        Assert.Equal(Some.Start, profile.Lists["lst_news"]);
    }

    [Fact]
    public void A_list_event_without_a_list_id_changes_nothing()
    {
        var profile = Some.Profile().After(Some.Track(ListEvents.Joined, new JsonObject { ["list_id"] = "" }), Some.Track(ListEvents.Joined));

        Assert.Empty(profile.Lists);
    }

    [Fact]
    public void Replaying_a_list_event_changes_nothing()
    {
        LoggedEvent joined = Joined();
        var profile = Some.Profile().After(joined, Left(), joined);

        Assert.Empty(profile.Lists);
    }

    [Fact]
    public void A_merge_keeps_the_lists_of_both_people_with_the_earlier_join()
    {
        var survivor = Some.Profile().After(Joined("lst_news").At(Some.Start.AddDays(2)));
        var absorbed = Some.Profile("prf_anon").After(
            Joined("lst_news").LoggedUnder("prf_anon").At(Some.Start), Joined("lst_vip").LoggedUnder("prf_anon").At(Some.Start.AddDays(5)));

        var merged = ProfileProjection.Absorb(survivor, absorbed);

        Assert.Equal(Some.Start, merged.Lists["lst_news"]);
        Assert.Equal(Some.Start.AddDays(5), merged.Lists["lst_vip"]);
    }
}
