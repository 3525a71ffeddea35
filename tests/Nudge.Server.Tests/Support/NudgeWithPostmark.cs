using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>The in-process Nudge sending its email through the Postmark adapter to a local fake of Postmark's API.</summary>
public sealed class NudgeWithPostmark : NudgeApi
{
    public NudgeWithPostmark()
    {
        Settings["Nudge:Smtp:Provider"] = "postmark";
        Settings["Nudge:Smtp:Postmark:BaseUrl"] = Postmark.BaseUrl.AbsoluteUri;
        Settings["Nudge:Smtp:Postmark:ServerToken"] = FakePostmark.Token;
        Settings["Nudge:Smtp:From"] = "Demo Shop <news@shop.example>";
        Settings["Nudge:Delivery:PollInterval"] = "00:00:00.100";
    }

    public FakePostmark Postmark { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Postmark.Dispose();
    }
}
