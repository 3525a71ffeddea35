using Nudge.Server.Consent;

namespace Nudge.Server.Tests.Consent;

public sealed class CsvTextTests
{
    [Fact]
    public void A_field_with_commas_or_quotes_is_quoted_and_reads_back()
    {
        var line = string.Join(',', CsvText.Field("Yes, \"please\""), CsvText.Field("plain"));

        Assert.Equal(["Yes, \"please\"", "plain"], CsvText.Split(line)!);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")")]
    [InlineData("+4915112345678")]
    [InlineData("@SUM(A1)")]
    public void A_field_a_spreadsheet_would_run_as_a_formula_is_written_as_text(string value) =>
        Assert.Equal("'" + value, Assert.Single(CsvText.Split(CsvText.Field(value))!));

    [Fact]
    public void A_quote_left_open_is_not_a_line() => Assert.Null(CsvText.Split("\"ada@example.com,manual"));
}
