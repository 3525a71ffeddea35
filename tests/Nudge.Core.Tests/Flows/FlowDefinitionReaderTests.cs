using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Core.Ingestion;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Flows;

public sealed class FlowDefinitionReaderTests
{
    private static string Flow(string steps, string start = "a", string trigger = """{"event":"Signed Up"}""", string extra = "") =>
        $$"""{"name":"F","trigger":{{trigger}},"start":"{{start}}","steps":{{steps}}{{extra}}}""";

    private static FieldError Error(string json) => Assert.Single(FlowJson.Errors(json));

    [Fact]
    public void A_complete_flow_reads_with_its_steps()
    {
        var flow = FlowJson.Read(FlowJson.CartAbandonment);

        Assert.Equal("Cart abandonment", flow.Name);
        Assert.Equal(4, flow.Steps.Count);
        Assert.Equal(TimeSpan.FromHours(1), Assert.IsType<WaitStep>(flow.Steps["wait"]).Duration);
        Assert.Equal("Order Completed", Assert.Single(flow.ExitOn).Event);
        Assert.Equal(ReentryMode.Once, flow.Reentry.Mode);
    }

    [Fact]
    public void An_event_trigger_matches_only_events_that_pass_its_filters()
    {
        var trigger = Assert.IsType<EventTrigger>(FlowJson.Read(FlowJson.CartAbandonment).Trigger);

        Assert.True(trigger.Matches(Some.Track("Checkout Started", new() { ["value"] = 25 })));
        Assert.False(trigger.Matches(Some.Track("Checkout Started", new() { ["value"] = 15 })));
        Assert.False(trigger.Matches(Some.Track("Product Viewed", new() { ["value"] = 25 })));
    }

    [Fact]
    public void A_segment_trigger_matches_the_segment_entered_event_nudge_logs()
    {
        var trigger = Assert.IsType<EventTrigger>(FlowJson.Read(Flow("""{"a":{"type":"end"}}""", trigger: """{"segment":"seg_vip"}""")).Trigger);

        Assert.True(trigger.Matches(Some.Track("Segment Entered", new() { ["segment_id"] = "seg_vip" }).SentWith(KeyKind.Internal)));
        Assert.False(trigger.Matches(Some.Track("Segment Entered", new() { ["segment_id"] = "seg_other" }).SentWith(KeyKind.Internal)));
    }

    [Fact]
    public void A_segment_trigger_cannot_be_faked_with_a_browser_key()
    {
        var trigger = Assert.IsType<EventTrigger>(FlowJson.Read(Flow("""{"a":{"type":"end"}}""", trigger: """{"segment":"seg_vip"}""")).Trigger);

        Assert.False(trigger.Matches(Some.Track("Segment Entered", new() { ["segment_id"] = "seg_vip" }).FromBrowser()));
    }

    [Fact]
    public void A_list_trigger_matches_list_joined()
    {
        var trigger = Assert.IsType<EventTrigger>(FlowJson.Read(Flow("""{"a":{"type":"end"}}""", trigger: """{"list":"lst_news"}""")).Trigger);

        Assert.True(trigger.Matches(Some.Track("List Joined", new() { ["list_id"] = "lst_news" })));
    }

    [Fact]
    public void A_manual_trigger_reads() =>
        Assert.IsType<ManualTrigger>(FlowJson.Read(Flow("""{"a":{"type":"end"}}""", trigger: """{"manual":true}""")).Trigger);

    [Fact]
    public void A_step_leading_to_an_unknown_step_is_named() =>
        Assert.Equal(("steps.a", "leads to 'b', which is no step of this flow"),
            (Error(Flow("""{"a":{"type":"wait","duration":{"hours":1},"next":"b"}}""")) is var e ? (e.Field, e.Message) : default));

    [Fact]
    public void A_loop_is_refused()
    {
        var error = Error(Flow("""{"a":{"type":"wait","duration":{"hours":1},"next":"b"},"b":{"type":"wait","duration":{"hours":1},"next":"a"}}"""));

        Assert.Contains("may not loop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_never_reached_from_start_is_named() =>
        Assert.Equal("steps.orphan", Error(Flow("""{"a":{"type":"end"},"orphan":{"type":"end"}}""")).Field);

    [Fact]
    public void An_unknown_start_is_named() =>
        Assert.Equal("start", Error(Flow("""{"a":{"type":"end"}}""", start: "nope")).Field);

    [Fact]
    public void An_unknown_step_type_is_named_with_the_choices()
    {
        var error = Error(Flow("""{"a":{"type":"sleep"}}"""));

        Assert.Equal("steps.a.type", error.Field);
        Assert.Contains("waitForEvent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_send_step_without_a_template_is_named() =>
        Assert.Equal("steps.a.template", Error(Flow("""{"a":{"type":"send","channel":"email"}}""")).Field);

    [Fact]
    public void A_send_on_an_unknown_channel_is_named() =>
        Assert.Equal("steps.a.channel", Error(Flow("""{"a":{"type":"send","channel":"fax","template":"t"}}""")).Field);

    [Fact]
    public void A_wait_longer_than_a_year_is_refused() =>
        Assert.Equal("steps.a.duration", Error(Flow("""{"a":{"type":"wait","duration":{"days":400}}}""")).Field);

    [Fact]
    public void A_wait_until_with_a_bad_time_is_named() =>
        Assert.Equal("steps.a.time", Error(Flow("""{"a":{"type":"waitUntil","time":"25:00"}}""")).Field);

    [Fact]
    public void A_wait_until_with_an_unknown_zone_is_named() =>
        Assert.Equal("steps.a.fallbackZone", Error(Flow("""{"a":{"type":"waitUntil","time":"10:00","fallbackZone":"Mars/Olympus"}}""")).Field);

    [Fact]
    public void A_bad_condition_inside_a_split_is_named_by_its_path() =>
        Assert.StartsWith("steps.a.condition", Error(Flow("""{"a":{"type":"split","condition":{"property":"traits.x","operator":"sometimes","value":1}}}""")).Field, StringComparison.Ordinal);

    [Fact]
    public void An_unknown_field_of_a_step_is_named() =>
        Assert.Equal("steps.a.delay", Error(Flow("""{"a":{"type":"end","delay":1}}""")).Field);

    [Fact]
    public void Reentry_once_per_needs_days() =>
        Assert.Equal("reentry.days", Error(Flow("""{"a":{"type":"end"}}""", extra: ""","reentry":{"mode":"oncePer"}""")).Field);

    [Fact]
    public void Every_error_is_reported_at_once() =>
        Assert.Equal(3, FlowJson.Errors("""{"trigger":{"event":"X"},"start":"a","steps":{"a":{"type":"send"}}}""").Count);

    [Fact]
    public void The_schema_includes_the_condition_language_and_every_step_type()
    {
        var schema = JsonDocument.Parse(FlowSchema.Json).RootElement.GetProperty("$defs");

        Assert.True(schema.TryGetProperty("condition", out _));
        foreach (var type in new[] { "wait", "waitUntil", "waitForEvent", "split", "randomSplit", "send", "updateProfile", "addToList", "removeFromList", "addTag", "removeTag", "adjustScore", "webhook", "assignCoupon", "moveToFlow", "end" })
            Assert.Contains($"\"{type}\"", schema.GetProperty("step").GetRawText(), StringComparison.Ordinal);
    }
}

public sealed class ScheduleTriggerTests
{
    private static string Scheduled(string schedule) =>
        "{\"name\":\"Daily\",\"trigger\":{\"schedule\":" + schedule + "},\"reentry\":{\"mode\":\"everyTime\"},\"start\":\"a\",\"steps\":{\"a\":{\"type\":\"end\"}}}";

    [Fact]
    public void A_schedule_reads_with_its_zone_and_segment()
    {
        var trigger = Assert.IsType<ScheduleTrigger>(FlowJson.Read(Scheduled("""{"cron":"0 10 * * *","timeZone":"Europe/Berlin","segment":"seg_search"}""")).Trigger);

        Assert.Equal(("0 10 * * *", "Europe/Berlin", "seg_search"), (trigger.Cron, trigger.TimeZone, trigger.SegmentId));
    }

    [Fact]
    public void Ten_oclock_in_Berlin_follows_summer_time() =>
        Assert.Equal(
            [new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero)],
            new[] { new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero) }
                .Select(after => new ScheduleTrigger("0 10 * * *", "Europe/Berlin", "seg").Next(after)!.Value));

    [Fact]
    public void A_cron_with_seconds_fires_every_few_seconds() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 2, TimeSpan.Zero),
            new ScheduleTrigger("*/2 * * * * *", "UTC", "seg").Next(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void A_bad_cron_is_named() =>
        Assert.Equal("trigger.schedule.cron", Assert.Single(FlowJson.Errors(Scheduled("""{"cron":"every day","segment":"seg"}"""))).Field);

    [Fact]
    public void An_unknown_zone_is_named() =>
        Assert.Equal("trigger.schedule.timeZone", Assert.Single(FlowJson.Errors(Scheduled("""{"cron":"0 10 * * *","timeZone":"Moon/Base","segment":"seg"}"""))).Field);

    [Fact]
    public void A_schedule_needs_a_segment() =>
        Assert.Equal("trigger.schedule.segment", Assert.Single(FlowJson.Errors(Scheduled("""{"cron":"0 10 * * *"}"""))).Field);
}
