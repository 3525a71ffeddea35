namespace Nudge.Server.Demo;

/// <summary>UTM parameters of a link that brought a visitor to the shop.</summary>
internal sealed record DemoCampaign(string Source, string Medium, string Name)
{
    public string QueryString => $"?utm_source={Source}&utm_medium={Medium}&utm_campaign={Name}";
}
