namespace Nudge.Storage.Templates;

/// <summary>A template as stored: its current version and its Liquid sources.</summary>
/// <param name="Id">Template id (<c>tpl_...</c>).</param>
/// <param name="WorkspaceId">The shop it belongs to.</param>
/// <param name="Name">Unique in the workspace; layouts and partials are used by this name.</param>
/// <param name="Kind"><c>email</c>, <c>sms</c>, <c>push</c>, <c>layout</c> or <c>partial</c>.</param>
/// <param name="Version">The current version; grows with every save, from 1.</param>
/// <param name="Parts">The JSON object of the current version's sources (subject, preheader, html, text, body).</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Time of the current version.</param>
public sealed record TemplateRecord(
    string Id, string WorkspaceId, string Name, string Kind, long Version, string Parts, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One saved version of a template, as a send names it.</summary>
/// <param name="TemplateId">The template.</param>
/// <param name="Version">The version number.</param>
/// <param name="Name">The template's name at that version.</param>
/// <param name="Kind">The template's kind.</param>
/// <param name="Parts">The JSON object of that version's sources.</param>
/// <param name="CreatedAt">When it was saved.</param>
public sealed record TemplateVersionRecord(string TemplateId, long Version, string Name, string Kind, string Parts, DateTimeOffset CreatedAt);
