using Nudge.Core.Consent;

namespace Nudge.Core.Tests.Consent;

public sealed class SuppressionAddressTests
{
    [Theory]
    [InlineData("email", " Ada@Example.COM ", "ada@example.com")]
    [InlineData("sms", "0151 12345678", "+4915112345678")]
    [InlineData("sms", "+44 20 7946 0958", "+442079460958")]
    [InlineData("push", "HTTPS://FCM.googleapis.com/fcm/send/AbC", "https://fcm.googleapis.com/fcm/send/AbC")]
    public void An_address_is_normalized_per_channel(string channel, string given, string normalized) =>
        Assert.Equal(normalized, SuppressionAddress.Normalize(channel, given, "DE"));

    [Theory]
    [InlineData("email", "not-an-email")]
    [InlineData("sms", "12")]
    [InlineData("push", "ftp://example.com/endpoint")]
    [InlineData("push", "/relative/endpoint")]
    [InlineData("fax", "+4915112345678")]
    public void An_invalid_address_or_unknown_channel_normalizes_to_nothing(string channel, string given) =>
        Assert.Null(SuppressionAddress.Normalize(channel, given, "DE"));

    [Theory]
    [InlineData("hard_bounce", SuppressionReason.HardBounce)]
    [InlineData(" Complaint ", SuppressionReason.Complaint)]
    [InlineData("manual", SuppressionReason.Manual)]
    [InlineData("unsubscribe", SuppressionReason.Unsubscribe)]
    public void Reasons_read_from_their_names(string name, SuppressionReason reason)
    {
        Assert.Equal(reason, SuppressionReasons.Parse(name));
        Assert.Equal(name.Trim().ToLowerInvariant(), SuppressionReasons.Name(reason));
    }

    [Fact]
    public void An_unknown_reason_reads_as_nothing() => Assert.Null(SuppressionReasons.Parse("bounced"));
}
