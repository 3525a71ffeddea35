using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;
using static Nudge.Core.Tests.Support.Conditions;

namespace Nudge.Core.Tests.Segments;

public sealed class OtherConditionTests
{
    private static readonly DateTimeOffset T = Some.Start;

    private static Verdict Evaluate(Condition condition, InMemorySegmentFacts facts) => SegmentEvaluator.Evaluate(condition, facts, T);

    private static InMemorySegmentFacts With(Profile profile) => new(profile);

    /// <summary>A leaf that, for <see cref="JoinedNow"/> at <see cref="T"/>, answers <paramref name="member"/> until <paramref name="until"/> (whole days).</summary>
    private static ProfileCondition Until(bool member, DateTimeOffset until) =>
        member
            ? Property("traits.joined", Days(ValueOperator.WithinLast, (int)(until - T).TotalDays))
            : Property("traits.joined", Days(ValueOperator.MoreThanDaysAgo, (int)(until - T).TotalDays));

    private static InMemorySegmentFacts JoinedNow()
    {
        var profile = Some.Profile() with { Traits = Some.Profile().Traits.Add("joined", Some.Json(Some.Iso(T))) };
        var facts = new InMemorySegmentFacts(profile);
        facts.Lists.Add("vip");
        return facts;
    }

    // ---- consent, location, lists, segments ------------------------------------------------------------------

    [Theory]
    [InlineData(true, ConsentStatus.Subscribed)]
    [InlineData(false, ConsentStatus.Unsubscribed)]
    [InlineData(null, ConsentStatus.NeverSubscribed)]
    public void Consent_is_subscribed_unsubscribed_or_never_given(bool? consent, ConsentStatus status)
    {
        var profile = Some.Profile();
        if (consent is { } given)
            profile = profile with { Consent = profile.Consent.Add("email", given) };

        foreach (var asked in Enum.GetValues<ConsentStatus>())
            Assert.Equal(Verdict.Always(asked == status), Evaluate(new ConsentCondition("email", asked), With(profile)));
    }

    [Fact]
    public void Near_measures_the_great_circle_distance_from_the_profile_location()
    {
        // Berlin to Potsdam is about 27 km.
        var inBerlin = Some.Profile() with { Location = new Location("DE", null, "Berlin", 52.52, 13.405) };

        Assert.Equal(Verdict.Always(true), Evaluate(new NearCondition(52.3906, 13.0645, 30), With(inBerlin)));
        Assert.Equal(Verdict.Always(false), Evaluate(new NearCondition(52.3906, 13.0645, 20), With(inBerlin)));
    }

    [Fact]
    public void Near_is_false_without_coordinates()
    {
        var cityOnly = Some.Profile() with { Location = new Location("DE", null, "Berlin", null, null) };

        Assert.False(Evaluate(new NearCondition(52.52, 13.405, 1000), With(cityOnly)).IsMember);
        Assert.False(Evaluate(new NearCondition(52.52, 13.405, 1000), With(Some.Profile())).IsMember);
    }

    [Fact]
    public void List_and_segment_membership_come_from_the_facts()
    {
        var facts = new InMemorySegmentFacts();
        facts.Lists.Add("newsletter");
        facts.Segments.Add("seg_vip");

        Assert.Equal(Verdict.Always(true), Evaluate(new ListCondition("newsletter"), facts));
        Assert.Equal(Verdict.Always(false), Evaluate(new ListCondition("other"), facts));
        Assert.Equal(Verdict.Always(true), Evaluate(new SegmentMembershipCondition("seg_vip"), facts));
        Assert.Equal(Verdict.Always(false), Evaluate(new SegmentMembershipCondition("seg_other"), facts));
    }

    // ---- all, any, not ---------------------------------------------------------------------------------------

    [Fact]
    public void An_empty_all_is_true_and_an_empty_any_is_false()
    {
        Assert.Equal(Verdict.Always(true), Evaluate(All(), new InMemorySegmentFacts()));
        Assert.Equal(Verdict.Always(false), Evaluate(Any(), new InMemorySegmentFacts()));
    }

    [Fact]
    public void Not_inverts_the_answer_and_keeps_its_expiry()
    {
        Assert.Equal(new Verdict(false, T.AddDays(3)), Evaluate(new Not(Until(true, T.AddDays(3))), JoinedNow()));
        Assert.Equal(Verdict.Always(false), Evaluate(new Not(new ListCondition("vip")), JoinedNow()));
    }

    [Fact]
    public void All_that_holds_lasts_until_the_first_child_can_change() =>
        Assert.Equal(
            new Verdict(true, T.AddDays(3)),
            Evaluate(All(Until(true, T.AddDays(5)), new ListCondition("vip"), Until(true, T.AddDays(3))), JoinedNow()));

    [Fact]
    public void All_that_fails_lasts_until_every_failing_child_can_change() =>
        Assert.Equal(
            new Verdict(false, T.AddDays(5)),
            Evaluate(All(Until(false, T.AddDays(5)), Until(true, T.AddDays(1)), Until(false, T.AddDays(3))), JoinedNow()));

    [Fact]
    public void All_with_a_child_that_time_cannot_make_true_fails_for_good() =>
        Assert.Equal(
            Verdict.Always(false),
            Evaluate(All(Until(false, T.AddDays(5)), new ListCondition("other"), Until(true, T.AddDays(1))), JoinedNow()));

    [Fact]
    public void Any_that_holds_lasts_until_every_holding_child_can_change() =>
        Assert.Equal(
            new Verdict(true, T.AddDays(5)),
            Evaluate(Any(Until(true, T.AddDays(5)), Until(false, T.AddDays(1)), Until(true, T.AddDays(3))), JoinedNow()));

    [Fact]
    public void Any_that_fails_lasts_until_the_first_child_can_change() =>
        Assert.Equal(
            new Verdict(false, T.AddDays(2)),
            Evaluate(Any(Until(false, T.AddDays(4)), new ListCondition("other"), Until(false, T.AddDays(2))), JoinedNow()));

    [Fact]
    public void Any_with_a_child_that_holds_for_good_holds_for_good() =>
        Assert.Equal(
            Verdict.Always(true),
            Evaluate(Any(Until(true, T.AddDays(5)), new ListCondition("vip")), JoinedNow()));
}
