using Nudge.Core.Coupons;

namespace Nudge.Core.Tests.Coupons;

public sealed class CodeUploadTests
{
    [Fact]
    public void A_text_file_has_one_code_a_line_and_repeats_in_any_spelling_are_reported_with_their_line()
    {
        var result = CodeUpload.Read("SPRING-1\r\n\r\nspring-1\nSPRING-2\n");

        Assert.Equal(["SPRING-1", "SPRING-2"], result.Codes.Select(c => c.Code));
        Assert.Equal(new UploadedCode(3, "spring-1"), Assert.Single(result.Repeated));
        Assert.Empty(result.Invalid);
    }

    [Fact]
    public void A_csv_file_is_read_by_its_code_column()
    {
        var result = CodeUpload.Read("\uFEFFid;coupon_code;note\n1;SUMMER-A;x\n2;;empty\n3\n");

        Assert.Equal(["SUMMER-A"], result.Codes.Select(c => c.Code));
        Assert.Equal([3, 4], result.Invalid.Select(i => i.Line));
    }

    [Fact]
    public void Lines_that_cannot_be_codes_are_reported_not_imported()
    {
        var result = CodeUpload.Read("GOOD-1\nHAS SPACE\n" + new string('X', 65) + "\n");

        Assert.Equal(["GOOD-1"], result.Codes.Select(c => c.Code));
        Assert.Equal([2, 3], result.Invalid.Select(i => i.Line));
    }

    [Fact]
    public void Codes_compare_trimmed_and_case_insensitively()
    {
        Assert.Equal(CouponCodes.Key(" welcome-ab12 "), CouponCodes.Key("WELCOME-AB12"));
    }
}
