using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Delivery;

namespace Nudge.Core.Tests.Delivery;

public sealed class DeliveryPolicyJsonTests
{
    private static readonly JsonSerializerOptions _web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_default_settings_read_as_the_documented_document()
    {
        var written = Serialize(DeliveryPolicyJson.Write(DeliveryPolicySettings.Default));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {
              "smartSending": { "email": { "hours": 16 }, "sms": { "days": 1 }, "push": { "days": 1 } },
              "frequencyCaps": [ { "channel": "email", "max": 3, "window": { "days": 7 } } ],
              "quietHours": { "sms": { "start": "21:00", "end": "09:00" }, "push": { "start": "21:00", "end": "09:00" } },
              "fallbackTimeZone": "UTC",
              "channelsWithoutOptIn": [ "email" ],
              "quietHoursHoldTransactional": false
            }
            """), written), written.ToJsonString());
    }

    [Fact]
    public void A_written_document_reads_back_as_the_same_settings()
    {
        var settings = new DeliveryPolicySettings
        {
            SmartSendingWindows = DeliveryPolicySettings.Default.SmartSendingWindows.SetItem(DeliveryChannels.Email, new TimeSpan(1, 12, 30, 0)),
            FrequencyCaps = [new FrequencyCap(DeliveryChannels.Sms, 2, TimeSpan.FromDays(30))],
            QuietHours = DeliveryPolicySettings.Default.QuietHours.Remove(DeliveryChannels.Sms),
            FallbackTimeZone = "Europe/Berlin",
            ChannelsWithoutOptIn = [],
            QuietHoursHoldTransactional = true,
        };

        var document = Serialize(DeliveryPolicyJson.Write(settings));
        var read = Read(document.ToJsonString());

        Assert.Empty(read.Errors);
        Assert.True(JsonNode.DeepEquals(document, Serialize(DeliveryPolicyJson.Write(read.Settings!))));
        Assert.Equal(new TimeSpan(1, 12, 30, 0), read.Settings!.SmartSendingWindows[DeliveryChannels.Email]);
        Assert.False(read.Settings.QuietHours.ContainsKey(DeliveryChannels.Sms));
    }

    [Fact]
    public void Windows_may_be_written_as_iso_8601_durations_and_false_turns_a_channel_off()
    {
        var read = Read(Document(smartSending: """{ "email": "PT16H", "sms": "P2D", "push": false }""",
            caps: """[ { "channel": "email", "max": 5, "window": "P1W" } ]"""));

        Assert.Empty(read.Errors);
        Assert.Equal(TimeSpan.FromHours(16), read.Settings!.SmartSendingWindows[DeliveryChannels.Email]);
        Assert.Equal(TimeSpan.FromDays(2), read.Settings.SmartSendingWindows[DeliveryChannels.Sms]);
        Assert.False(read.Settings.SmartSendingWindows.ContainsKey(DeliveryChannels.Push));
        Assert.Equal(TimeSpan.FromDays(7), read.Settings.FrequencyCaps.Single().Window);
    }

    [Fact]
    public void Quiet_hours_set_to_false_are_off_for_that_channel()
    {
        var read = Read(Document(quietHours: """{ "sms": false, "push": { "start": "22:30", "end": "07:00" } }"""));

        Assert.Equal([DeliveryChannels.Push], read.Settings!.QuietHours.Keys);
        Assert.Equal(new QuietHours(new TimeOnly(22, 30), new TimeOnly(7, 0)), read.Settings.QuietHours[DeliveryChannels.Push]);
    }

    [Theory]
    [InlineData("""{ "sms": { "start": "9pm", "end": "09:00" } }""", "quietHours.sms.start")]
    [InlineData("""{ "sms": { "start": "21:00" } }""", "quietHours.sms.end")]
    [InlineData("""{ "sms": { "start": "21:00", "end": "25:00" } }""", "quietHours.sms.end")]
    [InlineData("""{ "fax": { "start": "21:00", "end": "09:00" } }""", "quietHours.fax")]
    [InlineData("""{ "sms": "21-9" }""", "quietHours.sms")]
    public void A_wrong_quiet_hour_is_named(string quietHours, string field) =>
        Assert.Equal([field], Read(Document(quietHours: quietHours)).Errors.Select(e => e.Field));

    [Theory]
    [InlineData("""{ "email": { "hours": -1 } }""", "[]", "smartSending.email.hours")]
    [InlineData("""{ "email": { "weeks": 1 } }""", "[]", "smartSending.email.weeks")]
    [InlineData("""{ "email": "P1M" }""", "[]", "smartSending.email")]
    [InlineData("""{ "email": "PT90S" }""", "[]", "smartSending.email")]
    [InlineData("""{ "email": { "days": 400 } }""", "[]", "smartSending.email")]
    [InlineData("{}", """[ { "channel": "email", "max": 0, "window": { "days": 7 } } ]""", "frequencyCaps[0].max")]
    [InlineData("{}", """[ { "channel": "email", "max": 3 } ]""", "frequencyCaps[0].window")]
    [InlineData("{}", """[ { "channel": "pigeon", "max": 3, "window": "P7D" } ]""", "frequencyCaps[0].channel")]
    [InlineData("{}", """[ { "channel": "email", "max": 3, "window": { "minutes": 0 } } ]""", "frequencyCaps[0].window")]
    public void A_wrong_window_or_cap_is_named(string smartSending, string caps, string field) =>
        Assert.Equal([field], Read(Document(smartSending: smartSending, caps: caps)).Errors.Select(e => e.Field));

    [Fact]
    public void An_unknown_time_zone_a_missing_setting_and_an_unknown_setting_are_named()
    {
        Assert.Equal(["fallbackTimeZone"], Read(Document(zone: "\"Europe/Atlantis\"")).Errors.Select(e => e.Field));
        Assert.Equal(["channelsWithoutOptIn[1]"], Read(Document(withoutOptIn: """["email", "webhook"]""")).Errors.Select(e => e.Field));

        var missing = Read("""{ "smartSending": {}, "frequencyCaps": [], "quietHours": {}, "fallbackTimeZone": "UTC", "channelsWithoutOptIn": [], "quietHourz": true }""");

        Assert.Equal(["quietHourz", "quietHoursHoldTransactional"], missing.Errors.Select(e => e.Field));
    }

    [Fact]
    public void The_version_and_time_a_read_document_carries_may_be_written_back()
    {
        var document = Serialize(DeliveryPolicyJson.Write(DeliveryPolicySettings.Default));
        document["version"] = 3;
        document["updatedAt"] = "2026-03-02T14:00:00Z";

        Assert.Empty(Read(document.ToJsonString()).Errors);
    }

    private static DeliveryPolicyReadResult Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return DeliveryPolicyJson.Read(document.RootElement.Clone());
    }

    private static JsonObject Serialize(DeliveryPolicyDocument document) => JsonSerializer.SerializeToNode(document, _web)!.AsObject();

    private static string Document(
        string smartSending = "{}", string caps = "[]", string quietHours = "{}", string zone = "\"UTC\"", string withoutOptIn = "[\"email\"]") =>
        $$"""
        {
          "smartSending": {{smartSending}},
          "frequencyCaps": {{caps}},
          "quietHours": {{quietHours}},
          "fallbackTimeZone": {{zone}},
          "channelsWithoutOptIn": {{withoutOptIn}},
          "quietHoursHoldTransactional": false
        }
        """;
}
