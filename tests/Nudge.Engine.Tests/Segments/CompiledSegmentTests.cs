using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Profiles;
using static Nudge.Engine.Tests.Support.Segments;

namespace Nudge.Engine.Tests.Segments;

public sealed class CompiledSegmentTests
{
    private static readonly Profile Ada = Profile.Empty("prf_1", Workspace);

    [Fact]
    public void A_segment_about_order_count_is_not_touched_by_an_event_that_only_moves_last_seen()
    {
        var repeatBuyers = Segment("seg_1", """{"name":"Repeat","condition":{"property":"computed.orderCount","operator":"greaterOrEqual","value":2}}""");
        var seen = Ada with { Computed = Ada.Computed with { LastSeen = Start, EventCount = 1 } };
        var ordered = seen with { Computed = seen.Computed with { OrderCount = 1 } };

        Assert.False(repeatBuyers.ProfileInputsChanged(Ada, seen));
        Assert.True(repeatBuyers.ProfileInputsChanged(seen, ordered));
    }

    [Fact]
    public void A_segment_about_a_trait_notices_that_trait_only()
    {
        var locals = Segment("seg_1", """{"name":"Locals","condition":{"property":"traits.city","operator":"equals","value":"Berlin"}}""");
        var berlin = Ada with { Traits = ImmutableSortedDictionary<string, JsonElement>.Empty.Add("city", JsonSerializer.SerializeToElement("Berlin")) };
        var withName = berlin with { Traits = berlin.Traits.Add("name", JsonSerializer.SerializeToElement("Ada")) };

        Assert.True(locals.ProfileInputsChanged(Ada, berlin));
        Assert.False(locals.ProfileInputsChanged(berlin, withName));
    }

    [Fact]
    public void A_consent_segment_notices_a_consent_change()
    {
        var subscribers = Segment("seg_1", """{"name":"Subscribers","condition":{"consent":"email","status":"subscribed"}}""");
        var subscribed = Ada with { Consent = Ada.Consent.SetItem("email", true) };

        Assert.True(subscribers.ProfileInputsChanged(Ada, subscribed));
        Assert.False(subscribers.ProfileInputsChanged(subscribed, subscribed with { TimeZone = "Europe/Berlin" }));
    }

    [Theory]
    [InlineData("""{"event":"Order Completed","aggregate":"sum","of":"revenue","operator":"greaterThan","value":500,"window":{"last":365,"unit":"days"}}""", true)]
    [InlineData("""{"event":"Order Completed","aggregate":"average","of":"revenue","operator":"lessThan","value":50,"window":{"last":365,"unit":"days"}}""", true)]
    [InlineData("""{"event":"Order Completed","aggregate":"sum","of":"discount","operator":"greaterThan","value":200,"window":{"last":365,"unit":"days"}}""", false)]
    [InlineData("""{"event":"Order Completed","aggregate":"sum","of":"revenue","operator":"greaterThan","value":200,"window":{"last":30,"unit":"days"}}""", false)]
    [InlineData("""{"event":"Order Completed","aggregate":"sum","of":"revenue","operator":"greaterThan","value":200,"where":[{"property":"currency","operator":"equals","value":"EUR"}],"window":{"last":365,"unit":"days"}}""", false)]
    [InlineData("""{"event":"Order Refunded","aggregate":"sum","of":"revenue","operator":"greaterThan","value":200,"window":{"last":365,"unit":"days"}}""", false)]
    public void Conditions_that_count_the_same_events_have_the_same_counts_whatever_their_threshold(string other, bool same)
    {
        var tier = Segment("seg_1", """{"name":"Tier","condition":{"event":"Order Completed","aggregate":"sum","of":"revenue","operator":"greaterThan","value":200,"window":{"last":365,"unit":"days"}}}""");
        var compared = Segment("seg_2", $$"""{"name":"Other","condition":{{other}}}""");

        Assert.Equal(same, tier.Tallied[0].Counts == compared.Tallied[0].Counts);
    }
}
