using System.Text.Json.Nodes;
using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Email;
using Nudge.Storage.Templates;

namespace Nudge.Server.Templates;

/// <summary>A template as the API takes it: a name, a kind and its Liquid parts.</summary>
/// <param name="Name">Unique in the workspace; layouts and partials are used by it (lowercase letters, digits, - and _ for those).</param>
/// <param name="Kind"><c>email</c>, <c>sms</c>, <c>push</c>, <c>layout</c> or <c>partial</c> (fixed once created).</param>
/// <param name="Subject">Email subject or push title.</param>
/// <param name="Preheader">Email preview line.</param>
/// <param name="Html">Email HTML.</param>
/// <param name="Text">Email plain text; written from the HTML when empty.</param>
/// <param name="Body">Body of an SMS, push notification, layout or partial.</param>
public sealed record TemplateRequest(string? Name, string? Kind, string? Subject, string? Preheader, string? Html, string? Text, string? Body)
{
    public TemplateParts Parts => new(Blank(Subject), Blank(Preheader), Blank(Html), Blank(Text), Blank(Body));

    private static string? Blank(string? part) => string.IsNullOrEmpty(part) ? null : part;
}

/// <summary>A template as the API shows it.</summary>
public sealed record TemplateView(
    string Id, string Name, string Kind, long Version, string? Subject, string? Preheader, string? Html, string? Text, string? Body,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TemplateView Of(TemplateRecord r)
    {
        var parts = WorkspaceTemplates.Parts(r.Parts);
        return new(r.Id, r.Name, r.Kind, r.Version, parts.Subject, parts.Preheader, parts.Html, parts.Text, parts.Body, r.CreatedAt, r.UpdatedAt);
    }
}

/// <summary>One saved version.</summary>
public sealed record TemplateVersionView(string TemplateId, long Version, string Name, string Kind, string? Subject, string? Preheader, string? Html,
    string? Text, string? Body, DateTimeOffset CreatedAt)
{
    public static TemplateVersionView Of(TemplateVersionRecord r)
    {
        var parts = WorkspaceTemplates.Parts(r.Parts);
        return new(r.TemplateId, r.Version, r.Name, r.Kind, parts.Subject, parts.Preheader, parts.Html, parts.Text, parts.Body, r.CreatedAt);
    }
}

/// <summary>A problem in a template: the part, where in it, and what.</summary>
public sealed record TemplateErrorView(string Part, int? Line, int? Column, string Message)
{
    public static TemplateErrorView Of(TemplateError e) => new(e.Part, e.Line, e.Column, e.Message);
}

/// <summary>The answer of <c>POST /api/templates/validate</c>.</summary>
public sealed record ValidationView(bool Valid, IReadOnlyList<TemplateErrorView> Errors);

/// <summary>
/// What to preview or test-send with: a real profile, sample data, or both (the profile wins for <c>profile</c>).
/// </summary>
/// <param name="ProfileId">A profile of the workspace.</param>
/// <param name="Version">A saved version (default: the current one).</param>
/// <param name="Data">Sample data: <c>profile</c>, <c>event</c>, <c>coupon</c>, <c>recommendations</c>, <c>links</c>, <c>locale</c>, <c>currency</c>, <c>time_zone</c>.</param>
public sealed record PreviewRequest(string? ProfileId, long? Version, JsonObject? Data);

/// <summary>A test send: where to, and the preview data.</summary>
public sealed record TestSendRequest(string? To, string? ProfileId, long? Version, JsonObject? Data);

/// <summary>A rendered preview.</summary>
public sealed record PreviewView(
    string TemplateId, long Version, string? Subject, string? Preheader, string? Html, string? Text, string? Body, IReadOnlyList<MissingVariable> Missing);

/// <summary>A test message written to the outbox.</summary>
public sealed record TestSendView(string MessageKey, string To, string Subject);
