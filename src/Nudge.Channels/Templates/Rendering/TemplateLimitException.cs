namespace Nudge.Channels.Templates.Rendering;

/// <summary>A render stopped by the sandbox (<see cref="TemplateLimits"/>).</summary>
public sealed class TemplateLimitException(string message) : Exception(message);
