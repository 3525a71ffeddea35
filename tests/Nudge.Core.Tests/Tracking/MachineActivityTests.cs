using System.Net;
using Nudge.Core.Tracking;

namespace Nudge.Core.Tests.Tracking;

public sealed class MachineActivityTests
{
    private static readonly DateTimeOffset Sent = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private const string AppleProxyAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Theory]
    [InlineData("17.58.63.9", AppleProxyAgent)]
    [InlineData("17.1.2.3", "Mozilla/5.0")]
    [InlineData("::ffff:17.58.63.9", AppleProxyAgent)]
    public void An_open_from_apples_proxy_with_its_generic_agent_is_mail_privacy_protection(string ip, string agent)
    {
        var verdict = MachineActivity.Open(new TrackingRequest(IPAddress.Parse(ip), agent, Sent.AddMinutes(1), Sent));

        Assert.Equal(MachineVerdict.Because("apple_mpp"), verdict);
    }

    [Theory]
    [InlineData("203.0.113.7", AppleProxyAgent)] // Apple Mail on a Mac, loading images itself
    [InlineData("17.58.63.9", Safari)] // a browser on Apple's own network
    [InlineData("66.249.84.1", "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)")] // Gmail fetches on a real open
    public void Other_opens_are_people(string ip, string agent)
    {
        Assert.Equal(MachineVerdict.Person, MachineActivity.Open(new TrackingRequest(IPAddress.Parse(ip), agent, Sent.AddMinutes(1), Sent)));
    }

    [Fact]
    public void A_click_within_seconds_of_sending_is_a_scanner()
    {
        var verdict = MachineActivity.Click(new TrackingRequest(IPAddress.Parse("198.51.100.4"), Firefox, Sent.AddSeconds(2), Sent));

        Assert.Equal(MachineVerdict.Because("too_soon"), verdict);
    }

    [Fact]
    public void A_click_after_the_scanner_window_is_a_person()
    {
        var verdict = MachineActivity.Click(new TrackingRequest(IPAddress.Parse("198.51.100.4"), Firefox, Sent + MachineActivity.ScannerWindow, Sent));

        Assert.Equal(MachineVerdict.Person, verdict);
    }

    [Theory]
    [InlineData(true, Firefox, 0, "head_request")]
    [InlineData(false, "Mozilla/5.0 (compatible; Barracuda Sentinel)", 0, "scanner_agent")]
    [InlineData(false, "python-requests/2.31.0", 0, "scanner_agent")]
    [InlineData(false, Firefox, 2, "burst")]
    public void Scanner_clicks_are_flagged_with_the_reason(bool head, string agent, int otherLinksThisSecond, string reason)
    {
        var verdict = MachineActivity.Click(new TrackingRequest(IPAddress.Parse("198.51.100.4"), agent, Sent.AddHours(1), Sent, head, otherLinksThisSecond));

        Assert.Equal(MachineVerdict.Because(reason), verdict);
    }

    [Fact]
    public void A_phone_whose_model_ends_in_bot_is_not_a_bot()
    {
        var agent = "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";

        Assert.Equal(MachineVerdict.Person, MachineActivity.Click(new TrackingRequest(IPAddress.Parse("198.51.100.4"), agent, Sent.AddHours(1), Sent)));
    }
}
