using Nudge.Core.Identity;

namespace Nudge.Core.Tests.Identity;

public sealed class ContactNormalizerTests
{
    [Theory]
    [InlineData("ada@example.com", "ada@example.com")]
    [InlineData("  Ada.Lovelace@Example.COM \t", "ada.lovelace@example.com")]
    [InlineData("ADA+shop@mail.example.co.uk", "ada+shop@mail.example.co.uk")]
    public void Emails_are_trimmed_and_lower_cased(string text, string expected) =>
        Assert.Equal(expected, ContactNormalizer.Email(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ada")]
    [InlineData("ada@")]
    [InlineData("@example.com")]
    [InlineData("ada@localhost")]
    [InlineData("ada lovelace@example.com")]
    [InlineData("ada@@example.com")]
    [InlineData("Ada <ada@example.com>")]
    [InlineData("ada@example.com, bob@example.com")]
    public void Invalid_emails_are_rejected(string? text) =>
        Assert.Null(ContactNormalizer.Email(text));

    [Fact]
    public void An_email_longer_than_254_characters_is_rejected() =>
        Assert.Null(ContactNormalizer.Email(new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com"));

    [Theory]
    [InlineData("+49 1512 3456789", "+4915123456789")]
    [InlineData("+1 (650) 253-0000", "+16502530000")]
    [InlineData(" +44 20 7946 0958 ", "+442079460958")]
    [InlineData("0049 1512 3456789", null)]
    public void International_phone_numbers_become_E164_without_a_default_region(string text, string? expected) =>
        Assert.Equal(expected, ContactNormalizer.Phone(text, null));

    [Theory]
    [InlineData("01512 3456789", "DE", "+4915123456789")]
    [InlineData("0049 1512 3456789", "DE", "+4915123456789")]
    [InlineData("(650) 253-0000", "US", "+16502530000")]
    [InlineData("650.253.0000", "us", "+16502530000")]
    [InlineData("+44 20 7946 0958", "DE", "+442079460958")]
    public void National_phone_numbers_become_E164_with_the_default_region(string text, string region, string expected) =>
        Assert.Equal(expected, ContactNormalizer.Phone(text, region));

    [Fact]
    public void A_national_phone_number_without_a_default_region_is_rejected() =>
        Assert.Null(ContactNormalizer.Phone("01512 3456789", null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("12")]
    [InlineData("call me maybe")]
    [InlineData("+49 123")]
    [InlineData("+1 555 0100 0000 0000")]
    public void Invalid_phone_numbers_are_rejected(string? text) =>
        Assert.Null(ContactNormalizer.Phone(text, "DE"));
}
