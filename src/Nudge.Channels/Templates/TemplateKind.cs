namespace Nudge.Channels.Templates;

/// <summary>What a template is for; it decides which parts the template must have.</summary>
public enum TemplateKind
{
    /// <summary>An email: subject and HTML, optionally preheader and plain text.</summary>
    Email,

    /// <summary>A text message: body.</summary>
    Sms,

    /// <summary>A web push notification: subject (the title) and body.</summary>
    Push,

    /// <summary>A shared frame for email HTML (header, footer) that places the email with <c>{{ content_for_layout }}</c>.</summary>
    Layout,

    /// <summary>A shared snippet that other templates include with <c>{% render 'name' %}</c> or <c>{% include 'name' %}</c>.</summary>
    Partial,
}
