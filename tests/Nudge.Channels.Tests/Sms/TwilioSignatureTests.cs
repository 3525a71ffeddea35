using Nudge.Channels.Sms;

namespace Nudge.Channels.Tests.Sms;

public sealed class TwilioSignatureTests
{
    // Twilio's published request-validation example (auth token 12345).
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    private static readonly KeyValuePair<string, string>[] Form =
    [
        new("From", "+14158675309"),
        new("CallSid", "CA1234567890ABCDE"),
        new("To", "+18005551212"),
        new("Digits", "1234"),
        new("Caller", "+14158675309"),
    ];

    [Fact]
    public void The_signature_matches_twilios_documented_example()
    {
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.Compute("12345", Url, Form));
        Assert.True(TwilioSignature.IsValid("12345", Url, Form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void Repeated_parameters_are_signed_in_value_order()
    {
        KeyValuePair<string, string>[] repeated = [new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234"), new("Digits", "1234")];

        Assert.Equal("IK+Dwps556ElfBT0I3Rgjkr1wJU=", TwilioSignature.Compute("12345", Url, repeated));
    }

    [Fact]
    public void A_changed_url_parameter_token_or_signature_fails()
    {
        Assert.False(TwilioSignature.IsValid("12345", Url + "&extra=1", Form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("12345", Url, [.. Form[..4], new("Caller", "+10000000000")], "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("54321", Url, Form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioSignature.IsValid("12345", Url, Form, null));
        Assert.False(TwilioSignature.IsValid("12345", Url, Form, "forged"));
    }
}
