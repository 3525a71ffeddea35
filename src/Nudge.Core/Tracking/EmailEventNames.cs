namespace Nudge.Core.Tracking;

/// <summary>The events Nudge writes on a profile when its emails are opened, clicked, viewed, bounce or draw a complaint.</summary>
public static class EmailEventNames
{
    /// <summary>The open pixel loaded (possibly by a machine: see the <c>machine</c> property).</summary>
    public const string Opened = "Email Opened";

    /// <summary>A tracked link was followed; <c>url</c> names it.</summary>
    public const string LinkClicked = "Email Link Clicked";

    /// <summary>The message was opened through its view-in-browser link.</summary>
    public const string ViewedInBrowser = "Email Viewed In Browser";

    /// <summary>The message bounced; <c>bounce_type</c> is hard or soft.</summary>
    public const string Bounced = "Email Bounced";

    /// <summary>The person reported the message as spam.</summary>
    public const string MarkedAsSpam = "Email Marked as Spam";
}
