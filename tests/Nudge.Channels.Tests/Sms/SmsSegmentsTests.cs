using Nudge.Channels.Sms;

namespace Nudge.Channels.Tests.Sms;

public sealed class SmsSegmentsTests
{
    [Fact]
    public void A_plain_text_of_160_characters_is_one_gsm_message()
    {
        var counted = SmsSegments.Of(new string('a', 160));

        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 160, 1), counted);
    }

    [Fact]
    public void One_character_more_makes_two_parts_of_153()
    {
        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 161, 2), SmsSegments.Of(new string('a', 161)));
        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 306, 2), SmsSegments.Of(new string('a', 306)));
        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 307, 3), SmsSegments.Of(new string('a', 307)));
    }

    [Fact]
    public void Extension_characters_count_double()
    {
        // 155 letters and three euro signs: 161 septets, over the single-message limit.
        var counted = SmsSegments.Of(new string('a', 155) + "€€€");

        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 161, 2), counted);
        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 160, 1), SmsSegments.Of(new string('a', 150) + "{}[]~"));
    }

    [Fact]
    public void An_escape_pair_is_never_split_across_parts()
    {
        // 152 letters fill a part but one septet; the euro sign needs two, so it opens the second part.
        var counted = SmsSegments.Of(new string('a', 152) + "€" + new string('b', 152) + "€");

        Assert.Equal(SmsEncoding.Gsm7, counted.Encoding);
        Assert.Equal(308, counted.Units);
        Assert.Equal(3, counted.Segments);
    }

    [Fact]
    public void Gsm_accents_stay_seven_bit_but_other_letters_switch_to_ucs2()
    {
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Of("Grüße aus Köln, señor! ÄÖÜ é à ø Å").Encoding);
        Assert.Equal(new SmsSegments(SmsEncoding.Ucs2, 70, 1), SmsSegments.Of("ç" + new string('a', 69)));
        Assert.Equal(new SmsSegments(SmsEncoding.Ucs2, 71, 2), SmsSegments.Of("ç" + new string('a', 70)));
    }

    [Fact]
    public void An_emoji_takes_two_ucs2_units_and_is_not_split()
    {
        Assert.Equal(new SmsSegments(SmsEncoding.Ucs2, 2, 1), SmsSegments.Of("🛒"));
        // 66 units then an emoji (2): it does not fit the first part of 67, so three parts for 66 + 2 + 66 + 2.
        var counted = SmsSegments.Of(new string('ж', 66) + "🛒" + new string('ж', 66) + "🛒");
        Assert.Equal((136, 3), (counted.Units, counted.Segments));
    }

    [Fact]
    public void An_empty_text_is_no_message()
    {
        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 0, 0), SmsSegments.Of(""));
    }
}
