namespace Nudge.Server.Tests.Support;

/// <summary>A Nudge whose preference center offers topics, one of them with characters HTML must escape.</summary>
public sealed class NudgeWithTopics : NudgeApi
{
    public const string Topics = "news, offers, restocks, tips & <tricks>";

    public NudgeWithTopics() => Settings["Nudge:Preferences:Topics"] = Topics;
}
