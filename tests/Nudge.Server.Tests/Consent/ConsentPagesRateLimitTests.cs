using System.Net;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Consent;

public sealed class ConsentPagesRateLimitTests
{
    [Fact]
    public async Task The_public_consent_pages_are_rate_limited_per_client()
    {
        await using var nudge = new NudgeApi();
        nudge.Settings["Nudge:PublicPages:RequestsPerSecondPerClient"] = "1";
        using var client = nudge.CreateClient();

        // Several at once: one token a second lets at most one or two through, however slowly the machine runs.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? client.GetAsync("/preferences/prf_nobody?token=0.x", TestContext.Current.CancellationToken)
            : client.PostAsync("/unsubscribe/prf_nobody?channel=email&token=0.x", null, TestContext.Current.CancellationToken)));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.BadRequest);
    }
}
