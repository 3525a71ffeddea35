namespace Nudge.Server.Hosting;

/// <summary>The workspace every fresh installation starts with.</summary>
public static class DemoWorkspace
{
    public const string Id = "demo";
    public const string Name = "Demo Shop";
}
