using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Email;
using Nudge.Storage.Templates;

namespace Nudge.Server.Templates;

/// <summary>Wires templates into the host.</summary>
public static class TemplatesHosting
{
    public static WebApplicationBuilder AddTemplates(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TemplatesOptions>().Bind(builder.Configuration.GetSection("Nudge:Templates")).ValidateDataAnnotations().ValidateOnStart();
        // One engine for the process: its parser, options and compiled template versions are shared by every render.
        builder.Services.AddSingleton(_ => new TemplateEngine());
        builder.Services.AddSingleton<EmailRenderer>();
        builder.Services.AddSingleton<TemplateStore>();
        builder.Services.AddSingleton<WorkspaceTemplates>();
        builder.Services.AddSingleton<TemplateLookups>();
        builder.Services.AddSingleton<TemplatesApi.PreviewContext>();
        return builder;
    }
}
