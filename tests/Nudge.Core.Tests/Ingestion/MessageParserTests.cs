using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Nudge.Core.Ingestion;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Ingestion;

public sealed class MessageParserTests
{
    private const string InBatch = "batch[3]";

    private readonly FakeTimeProvider _clock = new(Some.Start);

    private ParsedMessage Parse(
        JsonNode? body,
        string path = InBatch,
        MessageType? impliedType = null,
        DateTimeOffset? batchSentAt = null,
        Func<string>? newMessageId = null) =>
        MessageParser.Parse(Some.Json(body), path, impliedType, _clock.GetUtcNow(), batchSentAt, newMessageId ?? Some.MessageId);

    private IncomingMessage Valid(JsonNode? body, MessageType? impliedType = null, DateTimeOffset? batchSentAt = null)
    {
        var parsed = Parse(body, impliedType: impliedType, batchSentAt: batchSentAt);
        Assert.Empty(parsed.Errors);
        Assert.True(parsed.IsValid);
        return parsed.Message!;
    }

    private FieldError SingleError(JsonNode? body, string path = InBatch, MessageType? impliedType = null)
    {
        var parsed = Parse(body, path, impliedType);
        Assert.Null(parsed.Message);
        return Assert.Single(parsed.Errors);
    }

    // ---- call types ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("track", MessageType.Track)]
    [InlineData("identify", MessageType.Identify)]
    [InlineData("page", MessageType.Page)]
    [InlineData("screen", MessageType.Screen)]
    [InlineData("group", MessageType.Group)]
    [InlineData("alias", MessageType.Alias)]
    public void Every_Segment_call_type_parses(string type, MessageType expected) =>
        Assert.Equal(expected, Valid(Some.Call(type)).Type);

    [Fact]
    public void Type_names_are_read_without_regard_to_case() =>
        Assert.Equal(MessageType.Identify, Valid(Some.Call("Identify")).Type);

    [Fact]
    public void A_single_call_endpoint_implies_the_type_when_the_body_has_none()
    {
        var body = Some.TrackCall();
        body.Remove("type");

        Assert.Equal(MessageType.Track, Valid(body, impliedType: MessageType.Track).Type);
    }

    [Fact]
    public void A_track_call_keeps_its_event_name() =>
        Assert.Equal("Order Completed", Valid(Some.TrackCall("Order Completed")).Name);

    [Theory]
    [InlineData("page")]
    [InlineData("screen")]
    public void A_page_or_screen_call_keeps_its_name(string type) =>
        Assert.Equal("Home", Valid(Some.Call(type)).Name);

    [Fact]
    public void A_page_call_without_a_name_is_valid() =>
        Assert.Null(Valid(new JsonObject { ["type"] = "page", ["anonymousId"] = "anon_1" }).Name);

    [Fact]
    public void A_group_call_keeps_its_group_id() =>
        Assert.Equal("grp_1", Valid(Some.Call("group")).GroupId);

    [Fact]
    public void An_alias_call_keeps_its_previous_id()
    {
        var message = Valid(Some.Call("alias"));

        Assert.Equal(("user_1", "anon_1"), (message.UserId, message.PreviousId));
    }

    [Fact]
    public void A_message_with_only_an_anonymous_id_is_valid() =>
        Assert.Equal("anon_1", Valid(Some.TrackCall(userId: null, anonymousId: "anon_1")).AnonymousId);

    [Fact]
    public void Ids_are_trimmed() =>
        Assert.Equal("user_1", Valid(Some.TrackCall(userId: "  user_1 ")).UserId);

    [Fact]
    public void The_body_is_kept_as_sent()
    {
        var body = Some.TrackCall();
        body["properties"] = new JsonObject { ["product_id"] = "sku_1" };

        Assert.Equal("sku_1", Valid(body).Properties!.Value.GetProperty("product_id").GetString());
    }

    // ---- errors name the field, with the path prefix ----------------------------------------------------

    [Fact]
    public void A_message_without_user_id_and_anonymous_id_is_refused_naming_the_user_id() =>
        Assert.Equal("batch[3].userId", SingleError(Some.TrackCall(userId: null)).Field);

    [Fact]
    public void A_blank_user_id_counts_as_missing() =>
        Assert.Equal("batch[3].userId", SingleError(Some.TrackCall(userId: "   ")).Field);

    [Fact]
    public void A_single_call_names_the_field_without_a_prefix() =>
        Assert.Equal("userId", SingleError(Some.TrackCall(userId: null), path: "").Field);

    [Fact]
    public void An_unknown_type_is_refused_naming_the_type()
    {
        var error = SingleError(Some.Call("purchase"));

        Assert.Equal("batch[3].type", error.Field);
        Assert.Contains("unknown type", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Track, Identify")]
    [InlineData(" track")]
    public void A_type_that_is_not_exactly_a_call_name_is_refused(string type) =>
        Assert.Equal("batch[3].type", SingleError(Some.Call("track").Also(b => b["type"] = type)).Field);

    [Fact]
    public void A_type_that_is_not_a_string_is_refused() =>
        Assert.Equal("batch[3].type", SingleError(Some.TrackCall().Also(b => b["type"] = 1)).Field);

    [Fact]
    public void A_batch_message_without_a_type_is_refused_naming_the_type()
    {
        var body = Some.TrackCall();
        body.Remove("type");

        Assert.Equal("batch[3].type", SingleError(body).Field);
    }

    [Theory]
    [InlineData("timestamp")]
    [InlineData("sentAt")]
    [InlineData("originalTimestamp")]
    public void A_bad_time_is_refused_naming_the_field(string field)
    {
        var error = SingleError(Some.TrackCall().Also(b => b[field] = "last tuesday"));

        Assert.Equal($"batch[3].{field}", error.Field);
        Assert.Contains("ISO-8601", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_that_is_not_a_string_is_refused() =>
        Assert.Equal("batch[3].timestamp", SingleError(Some.TrackCall().Also(b => b["timestamp"] = 1772443800)).Field);

    [Fact]
    public void A_time_of_day_without_a_date_is_refused_rather_than_read_as_today() =>
        Assert.Equal("batch[3].timestamp", SingleError(Some.TrackCall().Also(b => b["timestamp"] = "10:15:00")).Field);

    [Fact]
    public void A_track_call_without_an_event_name_is_refused_naming_the_event()
    {
        var body = Some.TrackCall();
        body.Remove("event");

        Assert.Equal("batch[3].event", SingleError(body).Field);
    }

    [Fact]
    public void A_track_call_with_a_blank_event_name_is_refused() =>
        Assert.Equal("batch[3].event", SingleError(Some.TrackCall(eventName: " ")).Field);

    [Fact]
    public void A_group_call_without_a_group_id_is_refused_naming_the_group_id()
    {
        var body = Some.Call("group");
        body.Remove("groupId");

        Assert.Equal("batch[3].groupId", SingleError(body).Field);
    }

    [Fact]
    public void An_alias_call_without_a_previous_id_is_refused_naming_the_previous_id()
    {
        var body = Some.Call("alias");
        body.Remove("previousId");

        Assert.Equal("batch[3].previousId", SingleError(body).Field);
    }

    [Fact]
    public void An_alias_call_without_a_user_id_is_refused_naming_the_user_id() =>
        Assert.Equal("batch[3].userId", SingleError(Some.Call("alias", userId: null, anonymousId: "anon_9")).Field);

    [Fact]
    public void Every_invalid_field_of_a_message_is_reported_at_once()
    {
        var body = new JsonObject { ["type"] = "alias", ["timestamp"] = "soon" };

        var fields = Parse(body).Errors.Select(e => e.Field).Order(StringComparer.Ordinal);

        Assert.Equal(["batch[3].previousId", "batch[3].timestamp", "batch[3].userId"], fields);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"track\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_message_that_is_not_an_object_is_refused_naming_its_path(string json) =>
        Assert.Equal("batch[3]", SingleError(JsonNode.Parse(json)).Field);

    [Fact]
    public void A_single_call_that_is_not_an_object_is_refused_naming_the_body() =>
        Assert.Equal("body", SingleError(new JsonArray(), path: "").Field);

    [Theory]
    [InlineData("userId")]
    [InlineData("anonymousId")]
    [InlineData("messageId")]
    [InlineData("groupId")]
    [InlineData("previousId")]
    public void An_id_longer_than_255_characters_is_refused_naming_it(string field)
    {
        var error = SingleError(Some.Call("track").Also(b => b[field] = new string('x', 256)));

        Assert.Equal($"batch[3].{field}", error.Field);
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_of_exactly_255_characters_is_accepted()
    {
        var id = new string('x', MessageParser.MaxIdLength);

        Assert.Equal(id, Valid(Some.TrackCall(userId: id)).UserId);
    }

    [Theory]
    [InlineData("userId", "true")]
    [InlineData("anonymousId", "{\"id\": 1}")]
    [InlineData("messageId", "[\"m\"]")]
    [InlineData("groupId", "false")]
    [InlineData("previousId", "{}")]
    public void An_id_that_is_neither_a_string_nor_a_number_is_refused_naming_it(string field, string json)
    {
        var error = SingleError(Some.Call("track", anonymousId: "anon_1").Also(b => b[field] = JsonNode.Parse(json)));

        Assert.Equal($"batch[3].{field}", error.Field);
        Assert.Equal("must be a string", error.Message);
    }

    [Fact]
    public void A_numeric_user_id_is_accepted_as_its_decimal_string() =>
        Assert.Equal("12345", Valid(Some.TrackCall().Also(b => b["userId"] = 12345)).UserId);

    [Fact]
    public void A_numeric_anonymous_id_is_accepted_as_its_decimal_string() =>
        Assert.Equal("987", Valid(Some.TrackCall(userId: null).Also(b => b["anonymousId"] = 987)).AnonymousId);

    [Fact]
    public void A_null_id_counts_as_missing() =>
        Assert.Equal("batch[3].userId", SingleError(Some.TrackCall().Also(b => b["userId"] = null)).Field);

    // ---- message ids ------------------------------------------------------------------------------------

    [Fact]
    public void A_message_without_a_message_id_gets_the_generated_one()
    {
        var body = Some.TrackCall();
        body.Remove("messageId");

        var parsed = Parse(body, newMessageId: () => "generated_1");

        Assert.Equal("generated_1", parsed.Message!.MessageId);
    }

    [Fact]
    public void A_message_id_the_client_sent_is_kept()
    {
        var body = Some.TrackCall().Also(b => b["messageId"] = "ajs-next-1");

        var parsed = Parse(body, newMessageId: () => throw new InvalidOperationException("not needed"));

        Assert.Equal("ajs-next-1", parsed.Message!.MessageId);
    }

    // ---- time ---------------------------------------------------------------------------------------------

    [Fact]
    public void The_receive_time_is_kept()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(Some.Start.AddMinutes(5), Valid(Some.TrackCall()).ReceivedAt);
    }

    [Fact]
    public void Client_clock_skew_is_corrected_with_the_message_sent_at()
    {
        // The client's clock runs 10 minutes fast.
        var receivedAt = _clock.GetUtcNow();
        var sentAt = receivedAt.AddMinutes(10);
        var timestamp = sentAt.AddSeconds(-30);
        var body = Some.TrackCall().Also(b =>
        {
            b["timestamp"] = Some.Iso(timestamp);
            b["sentAt"] = Some.Iso(sentAt);
        });

        var message = Valid(body);

        Assert.Equal(timestamp + (receivedAt - sentAt), message.Timestamp);
        Assert.Equal(receivedAt.AddSeconds(-30), message.Timestamp);
    }

    [Fact]
    public void Client_clock_skew_is_corrected_with_the_batch_sent_at_when_the_message_has_none()
    {
        var receivedAt = _clock.GetUtcNow();
        var batchSentAt = receivedAt.AddHours(-1);
        var timestamp = batchSentAt.AddSeconds(-5);

        var message = Valid(Some.TrackCall().Also(b => b["timestamp"] = Some.Iso(timestamp)), batchSentAt: batchSentAt);

        Assert.Equal(receivedAt.AddSeconds(-5), message.Timestamp);
        Assert.Equal(batchSentAt, message.SentAt);
    }

    [Fact]
    public void The_message_sent_at_wins_over_the_batch_sent_at()
    {
        var receivedAt = _clock.GetUtcNow();
        var sentAt = receivedAt.AddMinutes(-3);
        var body = Some.TrackCall().Also(b =>
        {
            b["timestamp"] = Some.Iso(sentAt.AddSeconds(-1));
            b["sentAt"] = Some.Iso(sentAt);
        });

        var message = Valid(body, batchSentAt: receivedAt.AddHours(-7));

        Assert.Equal(receivedAt.AddSeconds(-1), message.Timestamp);
    }

    [Fact]
    public void Without_any_sent_at_the_timestamp_is_taken_as_is()
    {
        var timestamp = Some.Start.AddDays(-1);

        var message = Valid(Some.TrackCall().Also(b => b["timestamp"] = Some.Iso(timestamp)));

        Assert.Equal(timestamp, message.Timestamp);
    }

    [Fact]
    public void Without_a_timestamp_the_receive_time_is_the_event_time()
    {
        var body = Some.TrackCall().Also(b => b["sentAt"] = Some.Iso(Some.Start.AddMinutes(9)));

        var message = Valid(body);

        Assert.Equal(_clock.GetUtcNow(), message.Timestamp);
        Assert.Null(message.OriginalTimestamp);
    }

    [Fact]
    public void The_client_timestamp_is_kept_as_the_original_timestamp()
    {
        var timestamp = Some.Start.AddMinutes(8);
        var body = Some.TrackCall().Also(b =>
        {
            b["timestamp"] = Some.Iso(timestamp);
            b["sentAt"] = Some.Iso(Some.Start.AddMinutes(10));
        });

        var message = Valid(body);

        Assert.Equal(timestamp, message.OriginalTimestamp);
        Assert.Equal(Some.Start.AddMinutes(-2), message.Timestamp);
    }

    [Fact]
    public void An_original_timestamp_stands_in_for_a_missing_timestamp()
    {
        // RudderStack SDKs send originalTimestamp and sentAt.
        var body = Some.TrackCall().Also(b =>
        {
            b["originalTimestamp"] = Some.Iso(Some.Start.AddMinutes(4));
            b["sentAt"] = Some.Iso(Some.Start.AddMinutes(5));
        });

        var message = Valid(body);

        Assert.Equal(Some.Start.AddMinutes(-1), message.Timestamp);
        Assert.Equal(Some.Start.AddMinutes(4), message.OriginalTimestamp);
    }

    [Fact]
    public void A_timestamp_with_an_offset_is_read_in_that_offset() =>
        Assert.Equal(
            new DateTimeOffset(2026, 3, 2, 8, 15, 0, TimeSpan.Zero),
            Valid(Some.TrackCall().Also(b => b["timestamp"] = "2026-03-02T10:15:00+02:00")).Timestamp);

    [Fact]
    public void A_timestamp_without_an_offset_is_taken_as_UTC() =>
        Assert.Equal(
            new DateTimeOffset(2026, 3, 2, 10, 15, 0, TimeSpan.Zero),
            Valid(Some.TrackCall().Also(b => b["timestamp"] = "2026-03-02T10:15:00")).Timestamp);

    [Fact]
    public void A_timestamp_with_fractional_seconds_keeps_them() =>
        Assert.Equal(
            new DateTimeOffset(2026, 3, 2, 10, 15, 0, 123, TimeSpan.Zero),
            Valid(Some.TrackCall().Also(b => b["timestamp"] = "2026-03-02T10:15:00.123Z")).Timestamp);
}
