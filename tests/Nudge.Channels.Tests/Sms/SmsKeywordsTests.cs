using Nudge.Channels.Sms;

namespace Nudge.Channels.Tests.Sms;

public sealed class SmsKeywordsTests
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData(" Stop. ")]
    [InlineData("STOPALL")]
    [InlineData("unsubscribe")]
    [InlineData("CANCEL")]
    [InlineData("End")]
    [InlineData("quit!")]
    public void Opt_out_keywords_stop_messages(string body) => Assert.Equal(SmsKeyword.OptOut, SmsKeywords.Read(body));

    [Theory]
    [InlineData("START")]
    [InlineData("yes")]
    [InlineData("Unstop")]
    public void Opt_in_keywords_start_them_again(string body) => Assert.Equal(SmsKeyword.OptIn, SmsKeywords.Read(body));

    [Theory]
    [InlineData("Please stop sending me these")]
    [InlineData("STOP IT")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_texts_are_not_keywords(string? body) => Assert.Equal(SmsKeyword.None, SmsKeywords.Read(body));
}
