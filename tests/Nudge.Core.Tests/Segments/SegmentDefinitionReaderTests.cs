using System.Text.Json;
using Nudge.Core.Segments;
using static Nudge.Core.Tests.Segments.Definitions;

namespace Nudge.Core.Tests.Segments;

/// <summary>The document, every node kind, the limits, and that every error is reported.</summary>
public sealed class SegmentDefinitionReaderTests
{
    /// <summary>The example of docs/segments.md, one node of every kind and shape.</summary>
    internal const string Example = """
        { "name": "VIP shoe lovers", "description": "Frequent buyers who look at shoes",
          "condition": { "and": [
            { "property": "computed.orderCount", "operator": "greaterThan", "value": 3 },
            { "property": "traits.city", "operator": "in", "value": ["Berlin", "Hamburg"] },
            { "property": "traits.birthday", "operator": "anniversaryWithin", "days": 7 },
            { "property": "computed.lastOrderDate", "operator": "withinLast", "days": 30 },
            { "property": "traits.score", "operator": "between", "value": [10, 20] },
            { "property": "email", "operator": "isSet" },
            { "event": "Product Viewed", "where": [ { "property": "category", "operator": "equals", "value": "shoes" } ],
              "count": { "atLeast": 2 }, "window": { "last": 30, "unit": "days" } },
            { "not": { "event": "Order Completed", "window": { "last": 7, "unit": "days" } } },
            { "event": "Email Opened", "count": { "exactly": 0 }, "window": { "last": 90, "unit": "days" } },
            { "event": "Order Completed", "aggregate": "sum", "of": "revenue", "operator": "greaterThan", "value": 500,
              "window": { "last": 365, "unit": "days" } },
            { "event": "Order Completed", "window": { "since": "2026-01-01T00:00:00Z" } },
            { "event": "Order Completed", "window": { "from": "2026-01-01", "to": "2026-02-01" } },
            { "consent": "email", "status": "subscribed" },
            { "near": { "latitude": 52.52, "longitude": 13.405, "km": 50 } },
            { "list": "lst_123" },
            { "segment": "seg_456" },
            { "or": [ { "property": "traits.plan", "operator": "equals", "value": "gold" }, { "list": "lst_vip" } ] }
          ] } }
        """;

    private static readonly DateTimeOffset NewYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // ---- the document --------------------------------------------------------------------------------

    [Fact]
    public void The_documented_example_reads_without_errors()
    {
        var result = Read(Example);

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        Assert.Equal("VIP shoe lovers", result.Definition!.Name);
        Assert.Equal("Frequent buyers who look at shoes", result.Definition.Description);
        Assert.Equal(17, Assert.IsType<AllOf>(result.Definition.Condition).Conditions.Length);
    }

    [Fact]
    public void The_description_is_optional() =>
        Assert.Null(Read("""{ "name": "All", "condition": { "and": [] } }""").Definition!.Description);

    [Fact]
    public void A_document_that_is_not_an_object_is_refused() =>
        Read("[]").Errors.Single().Names("body", "must be a JSON object");

    [Fact]
    public void The_name_is_required() =>
        Read("""{ "condition": { "and": [] } }""").Errors.Single().Names("name", "is required");

    [Fact]
    public void A_blank_name_is_refused() =>
        Read("""{ "name": "  ", "condition": { "and": [] } }""").Errors.Single().Names("name", "must not be empty");

    [Fact]
    public void A_name_longer_than_200_characters_is_refused() =>
        Read($$"""{ "name": "{{new string('x', 201)}}", "condition": { "and": [] } }""").Errors.Single()
            .Names("name", "at most 200 characters");

    [Fact]
    public void A_description_longer_than_2000_characters_is_refused() =>
        Read($$"""{ "name": "All", "description": "{{new string('x', 2001)}}", "condition": { "and": [] } }""").Errors.Single()
            .Names("description", "at most 2000 characters");

    [Fact]
    public void The_condition_is_required() =>
        Read("""{ "name": "All" }""").Errors.Single().Names("condition", "is required");

    [Fact]
    public void An_unknown_key_in_the_document_is_refused() =>
        Read("""{ "name": "All", "condition": { "and": [] }, "colour": "red" }""").Errors.Single()
            .Names("colour", "unknown key 'colour'");

    [Fact]
    public void Every_error_of_a_definition_is_reported_not_only_the_first()
    {
        var result = Read("""
            { "name": "", "condition": { "and": [
                { "property": "computed.orderCount", "operator": "contains", "value": "3" },
                { "event": "Order Completed", "window": { "last": 0, "unit": "days" } },
                { "consent": "fax", "status": "subscribed" },
                { "list": "" }
            ] } }
            """);

        Assert.Null(result.Definition);
        Assert.Equal(
            ["name", "condition.and[0].operator", "condition.and[1].window.last", "condition.and[2].consent", "condition.and[3].list"],
            result.Errors.Select(e => e.Field));
    }

    // ---- node kinds ----------------------------------------------------------------------------------

    [Fact]
    public void An_and_group_reads_into_all_of_its_children()
    {
        var all = Valid<AllOf>("""{ "and": [ { "list": "a" }, { "list": "b" } ] }""");

        Assert.Equal([new ListCondition("a"), new ListCondition("b")], all.Conditions);
    }

    [Fact]
    public void An_or_group_reads_into_any_of_its_children()
    {
        var any = Valid<AnyOf>("""{ "or": [ { "list": "a" }, { "segment": "b" } ] }""");

        Assert.Equal([new ListCondition("a"), new SegmentMembershipCondition("b")], any.Conditions);
    }

    [Fact]
    public void A_not_reads_into_the_negation_of_its_inner_condition() =>
        Assert.Equal(new Not(new ListCondition("a")), Valid("""{ "not": { "list": "a" } }"""));

    [Fact]
    public void A_property_condition_reads_into_a_profile_condition()
    {
        var condition = Valid<ProfileCondition>("""{ "property": "computed.orderCount", "operator": "greaterThan", "value": 3 }""");

        Assert.Equal("computed.orderCount", condition.Property);
        Assert.Equal(ValueOperator.GreaterThan, condition.Test.Operator);
        Assert.Equal(3, Assert.Single(condition.Test.Values).GetInt32());
    }

    [Fact]
    public void An_event_condition_is_keyed_by_its_path_in_the_definition()
    {
        var all = Valid<AllOf>("""{ "and": [ { "list": "a" }, { "event": "Order Completed" } ] }""");

        Assert.Equal("condition.and[1]", Assert.IsType<EventCondition>(all.Conditions[1]).Key);
    }

    [Fact]
    public void An_event_condition_with_an_aggregate_reads_into_an_aggregate_condition()
    {
        var condition = Valid<AggregateCondition>("""
            { "event": "Order Completed", "aggregate": "sum", "of": "revenue", "operator": "greaterThan", "value": 500,
              "window": { "last": 365, "unit": "days" } }
            """);

        Assert.Equal("condition", condition.Key);
        Assert.Equal("Order Completed", condition.Event);
        Assert.Equal(AggregateFunction.Sum, condition.Function);
        Assert.Equal("revenue", condition.Of);
        Assert.Equal(ValueOperator.GreaterThan, condition.Test.Operator);
        Assert.Equal(500m, Assert.Single(condition.Test.Values).GetDecimal());
        Assert.Equal(TimeSpan.FromDays(365), condition.Window.Last);
    }

    [Theory]
    [InlineData("email", "subscribed", ConsentStatus.Subscribed)]
    [InlineData("sms", "unsubscribed", ConsentStatus.Unsubscribed)]
    [InlineData("push", "neverSubscribed", ConsentStatus.NeverSubscribed)]
    public void A_consent_condition_reads_its_channel_and_status(string channel, string status, ConsentStatus expected) =>
        Assert.Equal(new ConsentCondition(channel, expected), Valid($$"""{ "consent": "{{channel}}", "status": "{{status}}" }"""));

    [Fact]
    public void A_near_condition_reads_its_point_and_radius() =>
        Assert.Equal(
            new NearCondition(52.52, 13.405, 50),
            Valid("""{ "near": { "latitude": 52.52, "longitude": 13.405, "km": 50 } }"""));

    [Fact]
    public void A_list_condition_reads_its_list_id() =>
        Assert.Equal(new ListCondition("lst_123"), Valid("""{ "list": "lst_123" }"""));

    [Fact]
    public void A_segment_condition_reads_its_segment_id() =>
        Assert.Equal(new SegmentMembershipCondition("seg_456"), Valid("""{ "segment": "seg_456" }"""));

    [Fact]
    public void An_empty_and_group_is_valid() =>
        Assert.Empty(Valid<AllOf>("""{ "and": [] }""").Conditions);

    // ---- telling node kinds apart --------------------------------------------------------------------

    [Fact]
    public void A_node_without_a_kind_is_refused_naming_what_it_found() =>
        SingleError("""{ "proprety": "email", "operator": "isSet" }""")
            .Names("condition", "needs one of and, or, not, property, event, consent, near, list or segment (found 'proprety', 'operator')");

    [Fact]
    public void A_node_with_two_kinds_is_refused_naming_both() =>
        SingleError("""{ "property": "email", "event": "Order Completed" }""").Names("condition", "mixes 'property' and 'event'");

    [Fact]
    public void A_node_that_is_not_an_object_is_refused() =>
        SingleError("""{ "and": [ "email" ] }""").Names("condition.and[0]", "must be a condition object");

    [Fact]
    public void An_unknown_key_of_a_property_condition_is_refused_naming_the_key() =>
        SingleError("""{ "property": "email", "operator": "equals", "valeu": "a@b.c", "value": "a@b.c" }""")
            .Names("condition.valeu", "unknown key 'valeu': a property condition takes property, operator, value and days");

    [Fact]
    public void An_unknown_key_of_a_group_is_refused() =>
        SingleError("""{ "and": [], "label": "x" }""").Names("condition.label", "unknown key 'label'");

    [Fact]
    public void A_key_given_twice_is_refused() =>
        SingleError("""{ "list": "a", "list": "b" }""").Names("condition.list", "is given more than once");

    [Fact]
    public void A_group_must_hold_an_array() =>
        SingleError("""{ "or": { "list": "a" } }""").Names("condition.or", "must be an array of conditions");

    [Fact]
    public void A_consent_channel_must_be_email_sms_or_push() =>
        SingleError("""{ "consent": "fax", "status": "subscribed" }""").Names("condition.consent", "expected email, sms or push");

    [Fact]
    public void A_consent_status_must_be_one_of_the_three() =>
        SingleError("""{ "consent": "email", "status": "optedIn" }""")
            .Names("condition.status", "expected subscribed, unsubscribed or neverSubscribed");

    [Fact]
    public void A_consent_condition_needs_a_status() =>
        SingleError("""{ "consent": "email" }""").Names("condition.status", "is required");

    [Theory]
    [InlineData("""{ "latitude": 91, "longitude": 0, "km": 1 }""", "condition.near.latitude", "from -90 to 90")]
    [InlineData("""{ "latitude": 0, "longitude": -181, "km": 1 }""", "condition.near.longitude", "from -180 to 180")]
    [InlineData("""{ "latitude": 0, "longitude": 0, "km": 0 }""", "condition.near.km", "greater than 0 and at most 20000")]
    [InlineData("""{ "latitude": 0, "longitude": 0, "km": 20001 }""", "condition.near.km", "greater than 0 and at most 20000")]
    [InlineData("""{ "latitude": "52", "longitude": 0, "km": 1 }""", "condition.near.latitude", "must be a number")]
    [InlineData("""{ "latitude": 0, "longitude": 0 }""", "condition.near.km", "is required")]
    [InlineData("""{ "latitude": 0, "longitude": 0, "km": 1, "miles": 1 }""", "condition.near.miles", "unknown key 'miles'")]
    public void A_near_condition_checks_its_point_and_radius(string near, string field, string says) =>
        SingleError($$"""{ "near": {{near}} }""").Names(field, says);

    [Theory]
    [InlineData("list")]
    [InlineData("segment")]
    public void A_list_or_segment_id_must_not_be_empty(string kind) =>
        SingleError($$"""{ "{{kind}}": "" }""").Names($"condition.{kind}", $"must be a {kind} id");

    // ---- limits --------------------------------------------------------------------------------------

    [Fact]
    public void Conditions_nest_ten_levels_deep() =>
        Assert.IsType<Not>(Valid(Nested(depth: 10)));

    [Fact]
    public void The_eleventh_level_of_nesting_is_refused_on_the_node_that_goes_over() =>
        SingleError(Nested(depth: 11)).Names("condition" + string.Concat(Enumerable.Repeat(".not", 10)), "at most 10 levels");

    [Fact]
    public void A_definition_holds_a_hundred_nodes() =>
        Assert.Equal(99, Valid<AllOf>(Group(children: 99)).Conditions.Length);

    [Fact]
    public void The_hundred_and_first_node_is_refused_once() =>
        SingleError(Group(children: 150)).Names("condition.and[99]", "at most 100");

    [Fact]
    public void Where_filters_do_not_count_as_nodes()
    {
        var filters = string.Join(", ", Enumerable.Repeat("""{ "property": "a", "operator": "isSet" }""", 10));
        var events = string.Join(", ", Enumerable.Repeat($$"""{ "event": "Viewed", "where": [{{filters}}] }""", 99));

        Assert.Equal(99, Valid<AllOf>($$"""{ "and": [{{events}}] }""").Conditions.Length);
    }

    // ---- bare conditions, as flow filters read them --------------------------------------------------

    [Fact]
    public void A_bare_condition_is_keyed_and_reported_under_the_path_the_caller_gives()
    {
        var valid = SegmentDefinitionReader.ReadCondition(
            JsonElement.Parse("""{ "or": [ { "event": "Cart Viewed" } ] }"""), "steps[2].filter");
        var invalid = SegmentDefinitionReader.ReadCondition(
            JsonElement.Parse("""{ "or": [ { "event": "" } ] }"""), "steps[2].filter");

        Assert.Equal("steps[2].filter.or[0]", Assert.IsType<EventCondition>(Assert.IsType<AnyOf>(valid.Condition).Conditions[0]).Key);
        Assert.Null(invalid.Condition);
        Assert.Equal("steps[2].filter.or[0].event", Assert.Single(invalid.Errors).Field);
    }

    [Fact]
    public void A_bare_condition_has_the_same_node_limit_as_a_definition() =>
        Assert.Equal(
            "filter.and[99]",
            Assert.Single(SegmentDefinitionReader.ReadCondition(JsonElement.Parse(Group(children: 100)), "filter").Errors).Field);

    /// <summary>A list condition inside <paramref name="depth"/> levels of nodes (the nots count, the list is the last level).</summary>
    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("""{ "not": """, depth - 1)) + """{ "list": "a" }""" + new string('}', depth - 1);

    private static string Group(int children) =>
        $$"""{ "and": [{{string.Join(", ", Enumerable.Repeat("""{ "list": "a" }""", children))}}] }""";
}
