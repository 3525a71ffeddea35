using Nudge.Core.Coupons;

namespace Nudge.Core.Tests.Coupons;

public sealed class CodePatternTests
{
    [Fact]
    public void Generated_codes_keep_the_fixed_text_and_draw_random_characters_only_from_the_unambiguous_alphabet()
    {
        var (pattern, _) = CodePattern.Parse("welcome-########");

        var codes = pattern!.Generate(5000);

        Assert.All(codes, code =>
        {
            Assert.StartsWith("WELCOME-", code, StringComparison.Ordinal);
            Assert.Equal(16, code.Length);
            Assert.All(code[8..], c => Assert.Contains(c, CodePattern.Alphabet));
        });
        Assert.DoesNotContain(codes.SelectMany(c => c[8..]), c => c is '0' or 'O' or '1' or 'I' or 'L');
    }

    [Fact]
    public void A_batch_of_generated_codes_has_no_repeats_and_skips_codes_already_taken()
    {
        var (pattern, _) = CodePattern.Parse("######");
        var taken = pattern!.Generate(2000).ToHashSet(StringComparer.Ordinal);

        var codes = pattern.Generate(20_000, taken.Contains);

        Assert.Equal(20_000, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(codes, taken.Contains);
    }

    [Fact]
    public void Every_alphabet_character_turns_up_about_equally_often()
    {
        var (pattern, _) = CodePattern.Parse("################################");
        var counts = pattern!.Generate(2000).SelectMany(c => c).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());

        // 64,000 draws over 31 characters: about 2,065 each; a biased draw (e.g. modulo) would skew the first ones.
        Assert.Equal(CodePattern.Alphabet.Length, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 1800, 2330));
    }

    [Theory]
    [InlineData("WELCOME-#####", "at least 6")]
    [InlineData("", "required")]
    [InlineData("A B-########", "spaces")]
    public void Patterns_that_make_guessable_or_unusable_codes_are_refused(string text, string problem)
    {
        var (pattern, reason) = CodePattern.Parse(text);

        Assert.Null(pattern);
        Assert.Contains(problem, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prefix_and_a_length_make_the_same_pattern()
    {
        Assert.Equal("VIP-########", CodePattern.FromPrefix("VIP-", 8).Pattern!.Text);
        Assert.NotNull(CodePattern.FromPrefix("VIP-", 3).Problem);
    }

    [Fact]
    public void A_pattern_may_fill_at_most_a_thousandth_of_what_it_can_make()
    {
        var (pattern, _) = CodePattern.Parse("######");

        Assert.Equal((long)(Math.Pow(31, 6) / 1000), pattern!.MaxCodes);
    }
}
