namespace Nudge.Channels.Templates.Email;

/// <summary>An email ready for the outbox.</summary>
/// <param name="Subject">The subject on one line.</param>
/// <param name="Preheader">The preview line, also placed hidden at the top of the HTML; null when the template has none.</param>
/// <param name="Html">The HTML with its layout, styles inlined and the preheader in place.</param>
/// <param name="Text">The plain-text part: the template's own, or written from the HTML.</param>
/// <param name="Missing">Variables that rendered empty because the data did not have them, by part: <c>html: profile.first_name</c>.</param>
public sealed record RenderedEmail(string Subject, string? Preheader, string Html, string Text, IReadOnlyList<MissingVariable> Missing)
{
    /// <summary>What open and click tracking did, when it was asked for.</summary>
    public TrackingApplied? Tracking { get; init; }
}

/// <summary>A variable a part wrote out that had no value.</summary>
/// <param name="Part">subject, preheader, html, text or body.</param>
/// <param name="Path">The variable as written: <c>event.products[0].name</c>.</param>
public sealed record MissingVariable(string Part, string Path);
