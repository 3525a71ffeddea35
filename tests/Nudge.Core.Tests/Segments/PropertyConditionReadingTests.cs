using System.Text.Json;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;
using static Nudge.Core.Tests.Segments.Definitions;

namespace Nudge.Core.Tests.Segments;

/// <summary>Profile properties, the operators and their operands.</summary>
public sealed class PropertyConditionReadingTests
{
    private static ValueTest Test(string property, string operatorAndOperand) =>
        Valid<ProfileCondition>($$"""{ "property": "{{property}}", "operator": {{operatorAndOperand}} }""").Test;

    private static FieldError Error(string property, string operatorAndOperand) =>
        SingleError($$"""{ "property": "{{property}}", "operator": {{operatorAndOperand}} }""");

    // ---- every operator reads with its operands -----------------------------------------------------

    [Theory]
    [InlineData("traits.plan", "\"equals\", \"value\": \"gold\"", ValueOperator.Equals)]
    [InlineData("traits.plan", "\"notEquals\", \"value\": true", ValueOperator.NotEquals)]
    [InlineData("email", "\"contains\", \"value\": \"@example.com\"", ValueOperator.Contains)]
    [InlineData("phone", "\"startsWith\", \"value\": \"+49\"", ValueOperator.StartsWith)]
    [InlineData("computed.orderCount", "\"greaterThan\", \"value\": 3", ValueOperator.GreaterThan)]
    [InlineData("computed.totalRevenue", "\"greaterOrEqual\", \"value\": 99.5", ValueOperator.GreaterOrEqual)]
    [InlineData("computed.firstSeen", "\"lessThan\", \"value\": \"2026-01-01\"", ValueOperator.LessThan)]
    [InlineData("traits.age", "\"lessOrEqual\", \"value\": 30", ValueOperator.LessOrEqual)]
    [InlineData("computed.lastSeen", "\"before\", \"value\": \"2026-01-01T12:00:00+01:00\"", ValueOperator.Before)]
    [InlineData("traits.signupDate", "\"after\", \"value\": \"2026-01-01\"", ValueOperator.After)]
    public void A_single_operand_is_kept_as_json(string property, string operatorAndOperand, ValueOperator expected)
    {
        var test = Test(property, operatorAndOperand);

        Assert.Equal(expected, test.Operator);
        Assert.Single(test.Values);
        Assert.Equal(0, test.Days);
    }

    [Fact]
    public void In_keeps_every_listed_value()
    {
        var test = Test("traits.city", "\"in\", \"value\": [\"Berlin\", \"Hamburg\"]");

        Assert.Equal(ValueOperator.In, test.Operator);
        Assert.Equal(["Berlin", "Hamburg"], test.Values.Select(v => v.GetString()));
    }

    [Fact]
    public void Not_in_takes_numbers_for_a_number_property() =>
        Assert.Equal([1, 2], Test("computed.orderCount", "\"notIn\", \"value\": [1, 2]").Values.Select(v => v.GetInt32()));

    [Fact]
    public void Between_keeps_low_and_high()
    {
        var test = Test("traits.score", "\"between\", \"value\": [10, 20]");

        Assert.Equal(ValueOperator.Between, test.Operator);
        Assert.Equal([10, 20], test.Values.Select(v => v.GetInt32()));
    }

    [Fact]
    public void Between_takes_two_dates_for_a_date_property() =>
        Assert.Equal(2, Test("computed.lastOrderDate", "\"between\", \"value\": [\"2026-01-01\", \"2026-02-01T00:00:00Z\"]").Values.Length);

    [Theory]
    [InlineData("isSet", ValueOperator.IsSet)]
    [InlineData("notSet", ValueOperator.NotSet)]
    public void Is_set_and_not_set_take_no_operand(string name, ValueOperator expected)
    {
        var test = Test("email", $"\"{name}\"");

        Assert.Equal(expected, test.Operator);
        Assert.Empty(test.Values);
    }

    [Theory]
    [InlineData("withinLast", ValueOperator.WithinLast)]
    [InlineData("moreThanDaysAgo", ValueOperator.MoreThanDaysAgo)]
    [InlineData("anniversaryWithin", ValueOperator.AnniversaryWithin)]
    public void Day_operators_keep_their_days(string name, ValueOperator expected)
    {
        var test = Test("traits.birthday", $"\"{name}\", \"days\": 7");

        Assert.Equal(expected, test.Operator);
        Assert.Empty(test.Values);
        Assert.Equal(7, test.Days);
    }

    [Fact]
    public void Operands_outlive_the_document_they_were_read_from()
    {
        ValueTest test;
        using (var document = JsonDocument.Parse("""{ "name": "T", "condition": { "property": "traits.plan", "operator": "equals", "value": "gold" } }"""))
            test = Assert.IsType<ProfileCondition>(SegmentDefinitionReader.Read(document.RootElement).Definition!.Condition).Test;

        Assert.Equal("gold", test.Values[0].GetString());
    }

    // ---- properties ----------------------------------------------------------------------------------

    [Fact]
    public void An_unknown_property_is_refused_explaining_traits_and_naming_the_built_ins() =>
        Error("city", "\"equals\", \"value\": \"Berlin\"").Names(
            "condition.property", "unknown property 'city': traits are named traits.<name>", "email, phone, userId");

    [Fact]
    public void A_trait_needs_a_name_after_the_prefix() =>
        Error("traits.", "\"isSet\"").Names("condition.property", "unknown property 'traits.'");

    [Fact]
    public void An_unknown_operator_is_refused_listing_the_operators() =>
        Error("email", "\"like\", \"value\": \"a\"").Names("condition.operator", "unknown operator 'like': expected equals, notEquals");

    [Fact]
    public void Operator_names_are_case_sensitive() =>
        Error("email", "\"Equals\", \"value\": \"a\"").Names("condition.operator", "unknown operator 'Equals'");

    [Fact]
    public void The_operator_is_required() =>
        SingleError("""{ "property": "email" }""").Names("condition.operator", "is required");

    // ---- operators by property kind ------------------------------------------------------------------

    [Theory]
    [InlineData("computed.orderCount", "\"contains\", \"value\": \"3\"", "operator 'contains' does not apply to computed.orderCount, a number")]
    [InlineData("email", "\"greaterThan\", \"value\": 3", "operator 'greaterThan' does not apply to email, a string")]
    [InlineData("email", "\"withinLast\", \"days\": 3", "operator 'withinLast' does not apply to email, a string")]
    [InlineData("computed.lastSeen", "\"equals\", \"value\": \"2026-01-01\"", "operator 'equals' does not apply to computed.lastSeen, a date")]
    [InlineData("computed.lastSeen", "\"in\", \"value\": [\"2026-01-01\"]", "operator 'in' does not apply to computed.lastSeen, a date")]
    [InlineData("computed.totalRevenue", "\"before\", \"value\": \"2026-01-01\"", "operator 'before' does not apply to computed.totalRevenue, a number")]
    public void An_operator_that_does_not_fit_the_property_kind_is_refused(string property, string operatorAndOperand, string message) =>
        Error(property, operatorAndOperand).Names("condition.operator", message);

    [Theory]
    [InlineData("\"equals\", \"value\": \"gold\"")]
    [InlineData("\"contains\", \"value\": \"ol\"")]
    [InlineData("\"greaterThan\", \"value\": 3")]
    [InlineData("\"greaterThan\", \"value\": \"2026-01-01\"")]
    [InlineData("\"before\", \"value\": \"2026-01-01\"")]
    [InlineData("\"between\", \"value\": [\"2026-01-01\", \"2026-01-02\"]")]
    [InlineData("\"anniversaryWithin\", \"days\": 0")]
    public void A_trait_takes_every_operator(string operatorAndOperand) =>
        Assert.NotNull(Test("traits.anything", operatorAndOperand));

    // ---- operands ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("email", "\"equals\", \"value\": 3", "must be a string")]
    [InlineData("computed.orderCount", "\"equals\", \"value\": \"3\"", "must be a number")]
    [InlineData("traits.plan", "\"equals\", \"value\": { \"a\": 1 }", "must be a string, a number, true or false")]
    [InlineData("traits.plan", "\"contains\", \"value\": 3", "must be a string")]
    [InlineData("computed.orderCount", "\"greaterThan\", \"value\": \"2026-01-01\"", "must be a number")]
    [InlineData("computed.lastSeen", "\"greaterThan\", \"value\": 3", "must be a date")]
    [InlineData("traits.score", "\"greaterThan\", \"value\": \"high\"", "must be a number or a date")]
    [InlineData("traits.signupDate", "\"before\", \"value\": \"yesterday\"", "must be a date: 2026-01-31 (midnight UTC)")]
    [InlineData("traits.signupDate", "\"before\", \"value\": \"2026-01-31T09:00:00\"", "with Z or an offset")]
    [InlineData("traits.signupDate", "\"after\", \"value\": \"2026-02-30\"", "must be a date")]
    [InlineData("computed.totalRevenue", "\"lessThan\", \"value\": 1e40", "must be a number")]
    public void An_operand_of_the_wrong_type_is_refused(string property, string operatorAndOperand, string message) =>
        Error(property, operatorAndOperand).Names("condition.value", message);

    [Fact]
    public void A_null_operand_points_to_is_set_and_not_set() =>
        Error("traits.plan", "\"equals\", \"value\": null").Names("condition.value", "to test for a missing value use isSet or notSet");

    [Fact]
    public void A_missing_operand_is_refused() =>
        Error("traits.plan", "\"equals\"").Names("condition.value", "is required for 'equals'");

    [Theory]
    [InlineData("[]", "condition.value", "must be a non-empty array")]
    [InlineData("\"Berlin\"", "condition.value", "must be a non-empty array")]
    [InlineData("[\"Berlin\", true]", "condition.value[1]", "must be a string or a number")]
    public void In_needs_a_non_empty_array_of_strings_or_numbers(string operand, string field, string message) =>
        Error("traits.city", $"\"in\", \"value\": {operand}").Names(field, message);

    [Fact]
    public void In_takes_a_thousand_values() =>
        Assert.Equal(1000, Test("traits.zip", $"\"in\", \"value\": [{string.Join(", ", Enumerable.Range(1, 1000))}]").Values.Length);

    [Fact]
    public void In_refuses_more_than_a_thousand_values() =>
        Error("traits.zip", $"\"in\", \"value\": [{string.Join(", ", Enumerable.Range(1, 1001))}]")
            .Names("condition.value", "more than 1000 values");

    [Fact]
    public void Each_wrong_item_of_an_in_list_is_reported()
    {
        var errors = ReadCondition("""{ "property": "email", "operator": "notIn", "value": [1, "a@b.c", 2] }""").Errors;

        Assert.Equal(["condition.value[0]", "condition.value[2]"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("[10]", "must be [low, high]: two numbers or two dates")]
    [InlineData("[10, \"2026-01-01\"]", "must be [low, high]")]
    [InlineData("[20, 10]", "low is greater than high")]
    [InlineData("[\"2026-02-01\", \"2026-01-01\"]", "low is greater than high")]
    public void Between_needs_low_and_high_of_one_type_in_order(string operand, string message) =>
        Error("traits.score", $"\"between\", \"value\": {operand}").Names("condition.value", message);

    [Fact]
    public void Between_on_a_number_property_refuses_dates() =>
        Error("computed.orderCount", "\"between\", \"value\": [\"2026-01-01\", \"2026-02-01\"]").Names("condition.value", "two numbers");

    [Fact]
    public void Is_set_refuses_a_value() =>
        Error("email", "\"isSet\", \"value\": true").Names("condition.value", "is not used by 'isSet'");

    [Theory]
    [InlineData("\"days\": -1")]
    [InlineData("\"days\": 36501")]
    [InlineData("\"days\": 1.5")]
    [InlineData("\"days\": \"7\"")]
    public void Days_are_a_whole_number_from_0_to_36500(string days) =>
        Error("traits.birthday", $"\"anniversaryWithin\", {days}").Names("condition.days", "whole number of days from 0 to 36500");

    [Fact]
    public void A_day_operator_needs_days() =>
        Error("computed.lastSeen", "\"withinLast\"").Names("condition.days", "is required for 'withinLast'");

    [Fact]
    public void A_day_operator_refuses_a_value() =>
        Error("computed.lastSeen", "\"moreThanDaysAgo\", \"days\": 90, \"value\": 90").Names("condition.value", "give the number of days in days");

    [Fact]
    public void Days_belong_only_to_the_day_operators() =>
        Error("computed.lastSeen", "\"before\", \"value\": \"2026-01-01\", \"days\": 3")
            .Names("condition.days", "only withinLast, moreThanDaysAgo and anniversaryWithin take days");
}
